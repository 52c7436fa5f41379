/** Synthetic events for the baseline tests: one image's normal work, minute by minute, on an injected clock. */
import type { RuntimeEvent } from '../../src/runtime/events.js';

export const IMG_A = `sha256:${'a'.repeat(64)}`;
export const IMG_B = `sha256:${'b'.repeat(64)}`;
export const T0 = Date.parse('2026-01-05T10:00:00.000Z');
export const MIN = 60_000;

export function container(imageId: string, n = 1) {
  return { id: (imageId.slice(7, 9) + String(n)).padEnd(64, '0'), imageId, imageRepository: imageId === IMG_A ? 'shop/web' : 'shop/worker', name: `c${n}` };
}

export function exec(time: number, imageId: string, exepath: string, args: string[], extra: Partial<NonNullable<RuntimeEvent['proc']>> = {}): RuntimeEvent {
  const name = exepath.slice(exepath.lastIndexOf('/') + 1);
  return {
    time,
    type: 'exec',
    sensor: 'synthetic',
    proc: { pid: 100, ppid: 1, name, exepath, args, pname: 'nginx', pexepath: '/usr/sbin/nginx', uid: 33, ...extra },
    container: container(imageId),
  };
}

export function connect(time: number, imageId: string, dip: string, dport: number): RuntimeEvent {
  return {
    time,
    type: 'connect',
    sensor: 'synthetic',
    proc: { pid: 101, name: 'python3', exepath: '/usr/bin/python3.11', uid: 33 },
    net: { protocol: 'tcp', sip: '127.0.0.1', sport: 40000, dip, dport },
    container: container(imageId),
  };
}

export function listen(time: number, imageId: string, port: number): RuntimeEvent {
  return { time, type: 'listen', sensor: 'synthetic', proc: { pid: 1, name: 'nginx', exepath: '/usr/sbin/nginx', uid: 33 }, net: { protocol: 'tcp', sip: '127.0.0.1', sport: port }, container: container(imageId) };
}

export function write(time: number, imageId: string, path: string, uid = 33): RuntimeEvent {
  return { time, type: 'open_write', sensor: 'synthetic', proc: { pid: 102, name: 'python3', exepath: '/usr/bin/python3.11', uid }, file: { path }, container: container(imageId) };
}

/**
 * The normal work of minute `m` (events spread over the minute): a listen at start, worker execs with
 * varying ids and temp files (8..14 per minute), database connections (8..14), cache writes.
 */
export function normalMinute(imageId: string, m: number): RuntimeEvent[] {
  const base = T0 + m * MIN;
  const out: RuntimeEvent[] = [];
  if (m === 0) out.push(listen(base, imageId, 8080));
  const n = 8 + ((m * 5) % 7);
  for (let i = 0; i < n; i++) {
    const t = base + 1000 + i * Math.floor(55_000 / n);
    out.push(
      exec(t, imageId, '/usr/bin/python3.11', ['python3', '/app/worker.py', `--job=${m * 100 + i}`, `/tmp/job-${m}-${i}.json`, `--id=${(m * 977 + i).toString(16).padStart(12, 'f')}`]),
    );
    out.push(connect(t + 10, imageId, '127.0.0.1', 5432));
    out.push(write(t + 20, imageId, `/var/cache/app/${m}-${i}.tmp`));
  }
  return out;
}

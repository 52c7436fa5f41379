import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RuntimeAgent } from '../../src/runtime/agent/index.js';
import type { RuntimeEvent } from '../../src/runtime/events.js';
import type { Sensor } from '../../src/runtime/sensors/types.js';
import { DockerSensor, engineEventToRuntime, splitImage } from '../../src/runtime/sensors/docker.js';
import { docker, EventLog, runContainer, type TestContainer } from '../support/runtime-containers.js';

describe('engine event mapping', () => {
  it('maps start/die/exec_start and ignores the rest', () => {
    const id = 'b'.repeat(64);
    const base = { Type: 'container', Actor: { ID: id, Attributes: { name: 'web', image: 'reg:5000/shop/web:1.2' } }, time: 1700000000, timeNano: 1700000000123456789 };
    assert.deepEqual(engineEventToRuntime({ ...base, Action: 'start' }), {
      time: 1700000000123, type: 'container_start', sensor: 'docker',
      container: { id, name: 'web', imageRepository: 'reg:5000/shop/web', imageTag: '1.2' },
    });
    assert.equal(engineEventToRuntime({ ...base, Action: 'exec_start: sh -c id' })?.arg, 'sh -c id');
    assert.equal(engineEventToRuntime({ ...base, Action: 'kill' }), undefined);
    assert.equal(engineEventToRuntime({ ...base, Type: 'image', Action: 'start' }), undefined);
    assert.deepEqual(splitImage('reg:5000/a@sha256:00'), { imageRepository: 'reg:5000/a' });
  });
});

describe('DockerSensor on the real engine', () => {
  let sensor: DockerSensor;
  const log = new EventLog<RuntimeEvent>();
  let c: TestContainer | undefined;
  before(async () => {
    sensor = new DockerSensor();
    await sensor.start(log.push);
  });
  after(async () => {
    await sensor.stop();
    await c?.remove();
  });

  it('sees start, exec and die of a container', async () => {
    c = await runContainer(['sleep', '600'], { network: 'none' });
    const start = await log.waitFor('container_start', (e) => e.type === 'container_start' && e.container?.id === c!.id);
    assert.equal(start.sensor, 'docker');
    assert.equal(start.container?.name, c.name);
    assert.equal(`${start.container?.imageRepository}:${start.container?.imageTag}`, c.image);
    await c.exec(['true']);
    const exec = await log.waitFor('container_exec', (e) => e.type === 'container_exec' && e.container?.id === c!.id);
    assert.equal(exec.arg, 'true');
    await docker(['kill', c.name]);
    const die = await log.waitFor('container_stop', (e) => e.type === 'container_stop' && e.container?.id === c!.id);
    assert.equal(die.arg, 137);
    assert.ok(Math.abs(die.time - Date.now()) < 60_000);
    // At least these 3 (other containers on the same engine may add theirs).
    const { events, ...rest } = sensor.stats();
    assert.ok(events >= 3);
    assert.deepEqual(rest, { dropped: 0, lost: 0, restarts: 0, errors: [] });
  });
});

/** The real engine's socket (DOCKER_HOST=unix://... or the default). */
const ENGINE_SOCKET = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A unix socket at `path` piping each connection to the real engine: the engine "appearing" at an address. */
function forwarder(path: string, target = ENGINE_SOCKET): Promise<{ server: Server; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () =>
      resolve({
        server,
        /** Drops the connections in progress (the engine's stream ends), still accepting new ones. */
        cut: () => {
          for (const s of sockets) s.destroy();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

describe('DockerSensor when the engine is not there at start', () => {
  let dir: string;
  const cleanup: Array<() => Promise<unknown>> = [];
  before(async () => {
    dir = await mkdtemp('/tmp/bwds-');
  });
  after(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('starts, counts the error, retries, and streams (gap included) once the engine appears', async () => {
    const path = join(dir, 'late.sock');
    const log = new EventLog<RuntimeEvent>();
    const told: string[] = [];
    const sensor = new DockerSensor({ dockerHost: `unix://${path}`, backoffMs: 50, maxBackoffMs: 200, onError: (m) => told.push(m) });
    cleanup.push(() => sensor.stop());
    // The agent sees it as live (start() resolves) and reports its stats.
    const agentErrors: string[] = [];
    // The sensor as the agent drives it, its events also copied to the test's log.
    const tee: Sensor = {
      id: sensor.id,
      start: (emit) => sensor.start((e) => (log.push(e), emit(e))),
      stop: () => sensor.stop(),
      stats: () => sensor.stats(),
    };
    const agent = new RuntimeAgent({ sensors: [tee], sinks: [], onError: (m) => agentErrors.push(m) });
    cleanup.push(() => agent.stop());
    const t0 = Date.now();
    await agent.start();
    assert.ok(Date.now() - t0 < 2000, 'start() does not wait for the engine');
    assert.deepEqual(agentErrors, []);
    assert.equal(sensor.connected, false);
    const first = sensor.stats();
    assert.equal(first.errors.length, 1);
    assert.match(first.errors[0]!, /^engine unreachable: .*ENOENT/);
    assert.deepEqual(told, first.errors);

    // Retrying with backoff (50, 100, 200, 200 ms ...) while the socket is absent.
    await sleep(700);
    const retrying = agent.status().sensors.find((s) => s.id === 'docker');
    assert.ok(retrying, 'the docker sensor is among the live sensors');
    assert.ok(retrying.restarts >= 3 && retrying.restarts <= 8, `restarts ${retrying.restarts}`);
    assert.ok(retrying.errors.length >= 3 && retrying.errors.every((e) => e.startsWith('engine unreachable: ')), retrying.errors.join('; '));

    // A container starts during the gap; then the engine appears at the address.
    const c = await runContainer(['sleep', '600'], { network: 'none' });
    cleanup.push(() => c.remove());
    assert.equal(sensor.connected, false);
    const fwd = await forwarder(path);
    cleanup.push(() => fwd.close());
    // The start from the gap is replayed (`since`), exec is live.
    const start = await log.waitFor('container_start', (e) => e.type === 'container_start' && e.container?.id === c.id);
    assert.equal(start.container?.name, c.name);
    assert.ok(sensor.connected);
    await c.exec(['true']);
    await log.waitFor('container_exec', (e) => e.type === 'container_exec' && e.container?.id === c.id);
    assert.equal(log.events.filter((e) => e.type === 'container_start' && e.container?.id === c.id).length, 1);
    // The agent's view: events counted, the errors and restarts of the outage kept.
    const seen = agent.status().sensors.find((s) => s.id === 'docker')!;
    assert.ok(seen.events >= 2);
    assert.ok(seen.restarts >= retrying.restarts);
    assert.ok(seen.errors.every((e) => e.startsWith('engine unreachable: ')));
    const restartsAfterConnect = seen.restarts;
    await sleep(500);
    assert.equal(sensor.stats().restarts, restartsAfterConnect, 'no more attempts once connected');

    // The stream breaks (engine restart): the sensor reconnects with `since` = the last event's second;
    // the engine replays that second, and what was already emitted is not emitted again.
    fwd.cut();
    await c.exec(['echo', 'after-cut']);
    await log.waitFor('exec after the cut', (e) => e.type === 'container_exec' && e.container?.id === c.id && e.arg === 'echo after-cut');
    const after = sensor.stats();
    assert.equal(after.restarts, restartsAfterConnect + 1);
    assert.match(after.errors.at(-1)!, /^engine event stream (ended|closed|failed)/);
    assert.equal(log.events.filter((e) => e.type === 'container_exec' && e.container?.id === c.id && e.arg === 'true').length, 1, 'no duplicate from the replay');
    assert.equal(log.events.filter((e) => e.type === 'container_start' && e.container?.id === c.id).length, 1);
  });

  it('stop() cancels a pending retry at once', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const sensor = new DockerSensor({ dockerHost: `unix://${join(dir, 'never.sock')}`, backoffMs: 300 });
    await sensor.start(() => undefined);
    assert.equal(timers(), before + 1, 'a retry is pending');
    assert.equal(sensor.stats().errors.length, 1);
    const t0 = Date.now();
    await sensor.stop();
    assert.ok(Date.now() - t0 < 50, `stop took ${Date.now() - t0} ms`);
    assert.equal(timers(), before, 'the pending retry is cancelled, not just ignored when it fires');
    await sleep(700);
    assert.equal(sensor.stats().restarts, 0, 'no attempt after stop()');
    assert.equal(sensor.stats().errors.length, 1);
  });

  it('an engine that accepts but never answers: start() gives up after connectTimeoutMs; stop() aborts the attempt in flight', async () => {
    const path = join(dir, 'mute.sock');
    const held = new Set<Socket>();
    const mute = createServer((s) => {
      held.add(s);
      s.resume(); // reads (and drops) the request, so that the client's close is seen
      s.on('close', () => held.delete(s));
    });
    await new Promise<void>((r) => mute.listen(path, r));
    cleanup.push(() => new Promise((r) => { for (const s of held) s.destroy(); mute.close(r); }));
    const sensor = new DockerSensor({ dockerHost: `unix://${path}`, backoffMs: 20, maxBackoffMs: 20, connectTimeoutMs: 1000 });
    const t0 = Date.now();
    await sensor.start(() => undefined);
    assert.ok(Date.now() - t0 < 2000);
    assert.match(sensor.stats().errors[0]!, /^engine unreachable: no answer within 1000 ms/);
    await sleep(150); // the retry is now connecting (held by the mute server)
    assert.ok(held.size >= 1);
    const t1 = Date.now();
    await sensor.stop();
    assert.ok(Date.now() - t1 < 50);
    await sleep(100); // well before that attempt's own 1000 ms timeout
    const s = sensor.stats();
    assert.equal(s.errors.length, 1, `no error after stop(): ${s.errors.join('; ')}`);
    assert.equal(held.size, 0, 'the attempt in flight was aborted (connection closed)');
  });
});

/**
 * Real test containers for the runtime sensors: started from the cached debootstrapped Debian base
 * image (test/support/images.ts), with --network none or host only, removed by the caller (after
 * hooks) and, as a safety net, when the test process exits.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { debianFixtures } from './images.js';

export interface TestContainer {
  id: string;
  name: string;
  image: string;
  /** `docker exec` and wait; resolves stdout. */
  exec(args: string[], options?: { detach?: boolean }): Promise<string>;
  remove(): Promise<void>;
}

const live = new Set<string>();
process.once('exit', () => {
  for (const name of live) {
    try {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore', timeout: 20_000 });
    } catch {
      // already gone
    }
  }
});

export function docker(args: string[], timeout = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The cached real Debian base image tag (built once if the cache is empty). */
export async function baseImage(): Promise<string> {
  return (await debianFixtures()).baseImage;
}

export interface RunOptions {
  network?: 'none' | 'host';
  /** Extra `docker run` flags. */
  flags?: string[];
  image?: string;
}

/** `docker run -d` of `command` (default: sleep 600) from the base image. */
export async function runContainer(command: string[] = ['sleep', '600'], options: RunOptions = {}): Promise<TestContainer> {
  const image = options.image ?? (await baseImage());
  const name = `bulwark-rt-${randomBytes(4).toString('hex')}`;
  live.add(name);
  const id = (
    await docker(['run', '-d', '--name', name, '--network', options.network ?? 'none', ...(options.flags ?? []), image, ...command])
  ).trim();
  return {
    id,
    name,
    image,
    exec: (args, o = {}) => docker(['exec', ...(o.detach ? ['-d'] : []), name, ...args]),
    remove: async () => {
      await docker(['rm', '-f', name]).catch(() => undefined);
      live.delete(name);
    },
  };
}

/** Collects events and waits for one matching a predicate. */
export class EventLog<E> {
  readonly events: E[] = [];
  private waiters: Array<{ match: (e: E) => boolean; resolve: (e: E) => void }> = [];

  readonly push = (e: E): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(e)) return true;
      w.resolve(e);
      return false;
    });
  };

  /** The first event (already seen or future) matching `match`; rejects after timeoutMs with `what`. */
  waitFor(what: string, match: (e: E) => boolean, timeoutMs = 15_000): Promise<E> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== match);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.events.length} events seen)`));
      }, timeoutMs);
      this.waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }
}

/** A free-looking TCP port on 127.0.0.1 in a test range (random, not from the ephemeral range). */
export function testPort(): number {
  return 20_000 + (randomBytes(2).readUInt16BE() % 10_000);
}

/** `docker inspect` of a container: its full id, image id and start time. */
export async function inspectContainer(nameOrId: string): Promise<{ id: string; imageId: string; startedAt: string }> {
  const i = (JSON.parse(await docker(['inspect', nameOrId])) as Array<{ Id: string; Image: string; State: { StartedAt: string } }>)[0]!;
  return { id: i.Id, imageId: i.Image, startedAt: i.State.StartedAt };
}

/**
 * A tiny image FROM `base` with one extra file (/etc/bulwark-<suffix>), built with the classic builder
 * (DOCKER_BUILDKIT=0, no RUN so no network), tagged `bulwark-test/<suffix>:<hash8 of base>`; reused when present.
 */
export async function buildDerivedImage(base: string, suffix: string): Promise<string> {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  const tag = `bulwark-test/${suffix}:${createHash('sha256').update(`${base}\n${suffix}`).digest('hex').slice(0, 8)}`;
  if ((await docker(['images', '-q', tag])).trim() !== '') return tag;
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-derived-'));
  try {
    await writeFile(join(dir, 'extra'), `${suffix}\n`);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${base}\nCOPY extra /etc/bulwark-${suffix}\n`);
    await new Promise<void>((resolve, reject) => {
      execFile('docker', ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, timeout: 120_000 }, (error, _o, stderr) =>
        error ? reject(new Error(`docker build ${tag}: ${error.message}\n${stderr}`)) : resolve(),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tag;
}

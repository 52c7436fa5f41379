/**
 * A second, throwaway dockerd for tests of daemon flags: its own data root, exec root (so its own
 * managed containerd), pid file and unix socket, no bridge and no iptables, so it runs beside the
 * main engine without touching it. Stop it with stop(); it kills only the process it started.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

export interface TestDockerd {
  /** unix:///... address of its socket. */
  host: string;
  socketPath: string;
  pid: number;
  dir: string;
  /** argv it was started with (argv[0] included). */
  argv: string[];
  stop(): Promise<void>;
}

export interface TestDockerdOptions {
  /** Extra dockerd flags (on top of the ones that keep it apart from the main engine). */
  flags?: string[];
  /** Written to <dir>/daemon.json and passed with --config-file. */
  daemonJson?: Record<string, unknown>;
  startTimeoutMs?: number;
}

/** Flags every throwaway daemon needs to coexist with the main one (see scripts/start-dockerd.sh). */
function baseFlags(dir: string, socketPath: string): string[] {
  return [
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'x')}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    `-H`,
    `unix://${socketPath}`,
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    // vfs needs no mounts, so the data root can be removed with rm -rf.
    '--storage-driver=vfs',
  ];
}

/** Daemons started by this process and still running: asked to stop if the test process exits first. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts several daemons at once; if any fails, stops the ones that started and rethrows, so that
 * a failed set-up leaves nothing running.
 */
export async function startTestDockerds(all: readonly TestDockerdOptions[]): Promise<TestDockerd[]> {
  const settled = await Promise.allSettled(all.map((o) => startTestDockerd(o)));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((d) => d.stop()));
    throw failed.reason;
  }
  return started;
}

export async function startTestDockerd(options: TestDockerdOptions = {}): Promise<TestDockerd> {
  // Short paths: the managed containerd's socket lives under the exec root (108-byte sun_path limit).
  const dir = await mkdtemp('/tmp/bwd-');
  const socketPath = join(dir, 'd.sock');
  const args = [...baseFlags(dir, socketPath), ...(options.flags ?? [])];
  if (options.daemonJson) {
    const configPath = join(dir, 'daemon.json');
    await writeFile(configPath, JSON.stringify(options.daemonJson, null, 2));
    args.push(`--config-file=${configPath}`);
  }
  const logPath = join(dir, 'dockerd.log');
  const { openSync, closeSync } = await import('node:fs');
  const logFd = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn('dockerd', args, { stdio: ['ignore', logFd, logFd], detached: false });
  } finally {
    closeSync(logFd);
  }
  let exited: number | null | undefined;
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);
  child.on('exit', (code) => {
    exited = code;
    if (pid !== undefined) running.delete(pid);
  });
  const stop = async (): Promise<void> => {
    if (exited === undefined && child.pid !== undefined) {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    }
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  if (pid === undefined) {
    await stop();
    throw new Error('dockerd did not start (is it installed?)');
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      await stop();
      throw new Error(`test dockerd exited (${exited}) during start-up:\n${log.split('\n').slice(-20).join('\n')}`);
    }
    if (await ping(socketPath)) break;
    if (Date.now() > deadline) {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      await stop();
      throw new Error(`test dockerd did not answer on ${socketPath}:\n${log.split('\n').slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { host: `unix://${socketPath}`, socketPath, pid, dir, argv: ['dockerd', ...args], stop };
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** dockerd makes its data root a mount point and leaves it behind when it dies early: unmount what is under dir. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounts) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a command under GNU time (apt package `time`) and reports its wall time (measured here,
 * with hrtime) and its peak RSS (`%M`, the largest max-RSS of the command and its children).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export interface RunResult {
  wallMs: number;
  maxRssKb: number;
}

export class CommandError extends Error {}

/** Fails early, with the fix, when GNU time is missing. */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) {
    throw new CommandError(`${GNU_TIME} is missing: apt-get install -y time`);
  }
}

/** Runs `cmd args` with stdout discarded (/dev/null); throws on a non-zero exit with the stderr tail. */
export async function timed(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-bench-time-'));
  const rssFile = join(dir, 'rss');
  try {
    const started = process.hrtime.bigint();
    const { code, signal, stderr } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], {
          cwd: options.cwd,
          env: { ...process.env, ...options.env },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let tail = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => {
          tail = (tail + chunk).slice(-16_384);
        });
        const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
        child.on('error', reject);
        child.on('close', (c, s) => {
          if (timer) clearTimeout(timer);
          resolve({ code: c, signal: s, stderr: tail });
        });
      },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) {
      const why = signal ? `signal ${signal}` : `exit ${String(code)}`;
      const lines = stderr.trim().split('\n').slice(-30).join('\n');
      throw new CommandError(`${cmd} ${args.join(' ')} failed (${why}):\n${lines}`);
    }
    const rssText = (await readFile(rssFile, 'utf8')).trim().split('\n').pop() ?? '';
    const maxRssKb = Number(rssText);
    if (!Number.isFinite(maxRssKb)) throw new CommandError(`unreadable GNU time output: ${rssText}`);
    return { wallMs, maxRssKb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command, returning stdout; throws on failure (for setup steps, not measurements). */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-16_384)));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new CommandError(`${cmd} ${args.join(' ')} failed (exit ${String(code)}):\n${err.trim().split('\n').slice(-30).join('\n')}`));
    });
  });
}

export interface Series {
  runs: RunResult[];
  medianMs: number;
  maxRssKb: number;
}

/** `warmups` discarded runs (page cache, JIT-free but disk-cache warm), then `runs` measured ones. */
export async function series(runs: number, warmups: number, once: () => Promise<RunResult>): Promise<Series> {
  for (let i = 0; i < warmups; i++) await once();
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return {
    runs: results,
    medianMs: median(results.map((r) => r.wallMs)),
    maxRssKb: Math.max(...results.map((r) => r.maxRssKb)),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

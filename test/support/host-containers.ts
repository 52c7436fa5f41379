/**
 * Real containers for the host-audit tests and bench: `sleep infinity` in the cached Debian test image,
 * labelled so that suites running in parallel (and the audit's own filter) see only their own.
 */
import { execFile } from 'node:child_process';
import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostFileStat, HostView } from '../../src/host/types.js';
import { debianFixtures } from './images.js';

const run = promisify(execFile);
export const HOST_LABEL_KEY = 'bulwark-test';

export interface ContainerSpec {
  /** Container name (unique per run: the helper prefixes nothing). */
  name: string;
  /** Extra `docker run` options (before the image). */
  options: string[];
  /** Command after the image; default `sleep infinity`. */
  command?: string[];
  /** `docker create` only: the container exists but does not run. */
  createOnly?: boolean;
  /** Image to run instead of the suite's default. */
  image?: string;
}

/** The label value that marks a suite's containers: `bulwark-test=<suite>`. */
export function suiteLabel(suite: string): string {
  return `${HOST_LABEL_KEY}=${suite}`;
}

/** Starts the containers (in parallel, at most 8 docker CLI calls at once) and returns their ids by name. */
export async function startContainers(suite: string, specs: readonly ContainerSpec[], image?: string): Promise<Map<string, string>> {
  const img = image ?? (await debianFixtures()).baseImage;
  const ids = new Map<string, string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      const verb = spec.createOnly ? ['create'] : ['run', '-d'];
      const args = [...verb, '--name', spec.name, '--label', suiteLabel(suite), ...spec.options, spec.image ?? img, ...(spec.command ?? ['sleep', 'infinity'])];
      try {
        const { stdout } = await run('docker', args, { timeout: 120_000 });
        ids.set(spec.name, stdout.trim());
      } catch (e) {
        throw new Error(`docker ${args.join(' ')}: ${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, specs.length) }, worker));
  return ids;
}

/** Removes every container (running or not) carrying the suite's label. */
export async function removeSuiteContainers(suite: string): Promise<void> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${suiteLabel(suite)}`]);
  const ids = stdout.split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 50) await run('docker', ['rm', '-f', ...ids.slice(i, i + 50)], { timeout: 120_000 });
}

/** A container-list filter for fetchEngineFacts: only the suite's containers. */
export function labelFilter(suite: string): (c: { Labels?: Record<string, string> }) => boolean {
  return (c) => c.Labels?.[HOST_LABEL_KEY] === suite;
}

function statOf(s: import('node:fs').Stats): HostFileStat {
  const type = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : s.isSocket() ? 'socket' : 'other';
  return { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, type };
}

/** A plain HostView over a root directory (the live "/" by default), for the section 4/5/6 checks. */
export function plainHostView(root = '/', extra: Partial<HostView> = {}): HostView {
  const at = (p: string): string => join(root, p);
  const quiet = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch {
      return undefined;
    }
  };
  return {
    root,
    readFile: (p) => quiet(() => readFile(at(p))),
    lstat: async (p) => {
      const s = await quiet(() => lstat(at(p)));
      return s && statOf(s);
    },
    stat: async (p) => {
      const s = await quiet(() => stat(at(p)));
      return s && statOf(s);
    },
    readdir: (p) => quiet(() => readdir(at(p))),
    ...extra,
  };
}

/**
 * File access confined to a root directory: every host path ("/etc/docker/daemon.json") is resolved
 * component by component under the root, symlinks included, so that a symlink in a mounted tree
 * pointing at /etc/shadow resolves to <root>/etc/shadow and ".." never climbs above the root.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import type { HostFileStat } from './types.js';

/** Default bound on one file read. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Symlinks followed while resolving one path (Linux uses 40). */
const MAX_SYMLINKS = 40;

export type ReadOutcome =
  | { status: 'ok'; content: Buffer }
  | { status: 'absent' }
  | { status: 'too-large'; limit: number }
  | { status: 'not-a-file' }
  | { status: 'error'; message: string };

/** A resolved host path: the host path it stands for and where it is on the real filesystem. */
interface Resolved {
  hostPath: string;
  realPath: string;
}

export class RootFs {
  readonly root: string;
  private readonly maxRead: number;

  constructor(root: string, maxRead = MAX_READ_BYTES) {
    this.root = posix.resolve(root);
    this.maxRead = maxRead;
  }

  /** The real path of a host path under the root, no following. */
  private real(hostPath: string): string {
    return this.root === '/' ? hostPath : hostPath === '/' ? this.root : this.root + hostPath;
  }

  /**
   * Resolves a host path inside the root. With follow=false the last component is not followed.
   * Undefined when a component is missing, is not a directory, or the symlink chain is too long.
   */
  async resolve(path: string, follow: boolean): Promise<Resolved | undefined> {
    const pending = splitPath(path);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '.' || part === '') continue;
      if (part === '..') {
        done.pop();
        continue;
      }
      const candidate = '/' + [...done, part].join('/');
      const isLast = pending.length === 0;
      let st: Stats;
      try {
        st = await lstat(this.real(candidate));
      } catch {
        return undefined;
      }
      if (st.isSymbolicLink() && (!isLast || follow)) {
        if (++hops > MAX_SYMLINKS) return undefined;
        let target: string;
        try {
          target = await readlink(this.real(candidate));
        } catch {
          return undefined;
        }
        if (target.startsWith('/')) done.length = 0;
        pending.unshift(...splitPath(target));
        continue;
      }
      if (!isLast && !st.isDirectory()) return undefined;
      done.push(part);
    }
    const hostPath = '/' + done.join('/');
    return { hostPath, realPath: this.real(hostPath) };
  }

  /** The host path a path resolves to (symlinks followed inside the root), or undefined. */
  async canonical(path: string): Promise<string | undefined> {
    return (await this.resolve(path, true))?.hostPath;
  }

  async lstat(path: string): Promise<Stats | undefined> {
    const r = await this.resolve(path, false);
    if (!r) return undefined;
    try {
      return await lstat(r.realPath);
    } catch {
      return undefined;
    }
  }

  async stat(path: string): Promise<Stats | undefined> {
    const r = await this.resolve(path, true);
    if (!r) return undefined;
    try {
      // resolve() followed every symlink, so the final component is not one (barring a race).
      const st = await lstat(r.realPath);
      return st.isSymbolicLink() ? undefined : st;
    } catch {
      return undefined;
    }
  }

  async readdir(path: string): Promise<string[] | undefined> {
    const r = await this.resolve(path, true);
    if (!r) return undefined;
    try {
      return (await readdir(r.realPath)).sort();
    } catch {
      return undefined;
    }
  }

  /**
   * Reads a regular file (or a /proc pseudo-file, whose size stat reports as 0) up to the bound.
   * Opened with O_NOFOLLOW (the resolved last component must not be a symlink) and O_NONBLOCK (a FIFO
   * planted in the tree must not hang the audit).
   */
  async read(path: string, limit = this.maxRead): Promise<ReadOutcome> {
    const r = await this.resolve(path, true);
    if (!r) return { status: 'absent' };
    let handle;
    try {
      handle = await open(r.realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return { status: 'absent' };
      return { status: 'error', message: `${path}: ${code ?? String(e)}` };
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) return { status: 'not-a-file' };
      if (st.size > limit) return { status: 'too-large', limit };
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > limit) return { status: 'too-large', limit };
      }
      return { status: 'ok', content: Buffer.concat(chunks, total) };
    } catch (e) {
      return { status: 'error', message: `${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    } finally {
      await handle.close();
    }
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    const outcome = await this.read(path);
    return outcome.status === 'ok' ? outcome.content : undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

export function fileType(st: Stats): HostFileStat['type'] {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSocket()) return 'socket';
  return 'other';
}

/** name by id from passwd/group text (name:x:id:...). First entry for an id wins. */
export function parseIdNames(text: string | undefined): Map<number, string> {
  const names = new Map<number, string>();
  if (!text) return names;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0];
    const id = Number(fields[2]);
    if (!name || fields.length < 3 || !/^\d+$/.test(fields[2] ?? '') || names.has(id)) continue;
    names.set(id, name);
  }
  return names;
}

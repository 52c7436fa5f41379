import { createReadStream } from 'node:fs';
import { lstat, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { BulwarkError } from '../core/errors.js';
import type { Notice } from '../core/package.js';
import { consumeContent, planContent, type ContentOptions, type ContentSink } from './content-sink.js';
import { DEFAULT_LIMITS } from './limits.js';
import { FileTree } from './tree.js';
import type { FileType } from './types.js';
import { LayeredView } from './view.js';

/** Live kernel filesystems under a mounted root: never inventory material, often endless. */
const PSEUDO_ROOT_DIRS = new Set(['proc', 'sys', 'dev']);

function fileType(s: Stats): FileType | undefined {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isCharacterDevice()) return 'char';
  if (s.isBlockDevice()) return 'block';
  if (s.isFIFO()) return 'fifo';
  return undefined;
}

/**
 * A directory or mounted root filesystem as a one-layer view: the same tree, captures and inspections
 * as an image, so every detector runs unchanged. Symlinks are recorded, never followed while walking.
 */
export async function buildDirectoryView(root: string, options: ContentOptions): Promise<LayeredView> {
  let rootStat: Stats;
  try {
    rootStat = await lstat(root);
  } catch {
    throw new BulwarkError('E_INPUT', `${root}: no such file or directory`);
  }
  if (!rootStat.isDirectory()) throw new BulwarkError('E_INPUT', `${root}: not a directory`);
  const tree = new FileTree();
  const notices: Notice[] = [];
  const sink: ContentSink = { captures: new Map(), inspections: new Map(), notices, limits: options.limits ?? DEFAULT_LIMITS, options };
  let bytes = 0;
  const pending: string[][] = [[]];
  while (pending.length > 0) {
    const parts = pending.pop()!;
    const dirPath = join(root, ...parts);
    let dir;
    try {
      dir = await opendir(dirPath);
    } catch (e) {
      notices.push({ level: 'warning', detector: 'directory', message: `${dirPath}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for await (const entry of dir) {
      const childParts = [...parts, entry.name];
      const path = join(root, ...childParts);
      const s = await lstat(path).catch(() => undefined);
      const type = s && fileType(s);
      if (!s || !type) continue;
      if (parts.length === 0 && type === 'dir' && PSEUDO_ROOT_DIRS.has(entry.name) && s.dev !== rootStat.dev) continue;
      tree.put(childParts, { type, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: type === 'file' ? s.size : 0, layer: 0, ...(type === 'symlink' ? { linkTarget: await readlink(path) } : {}) });
      if (type === 'dir') pending.push(childParts);
      if (type !== 'file') continue;
      bytes += s.size;
      const plan = planContent(sink, childParts.join('/'), 0, { size: s.size, mode: s.mode & 0o7777 });
      if (!plan) continue;
      try {
        await consumeContent(createReadStream(path), plan, root, sink);
      } catch (e) {
        if ((e as BulwarkError).code === 'E_LIMIT') throw e;
        notices.push({ level: 'warning', detector: 'directory', message: `${path}: cannot be read (${(e as Error).message})` });
      }
    }
  }
  const layer = { index: 0, diffId: '', digest: '', mediaType: 'directory', size: bytes };
  return new LayeredView(tree, sink.captures, [layer], sink.inspections, notices);
}

import { constants } from 'node:fs';
import { open, readdir, realpath, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { ImportLimits, OsvDocument } from './import-limits.js';

/**
 * Lists the `*.json` files under a directory, recursively. Symbolic links are never followed: one
 * pointing inside the tree is skipped (its target is listed anyway), one pointing outside it is an
 * error. Anything that is not a regular file or directory (FIFOs, sockets, devices) is skipped.
 */
export async function listOsvFiles(root: string, limits: ImportLimits): Promise<string[]> {
  const realRoot = await realpath(root);
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        await checkLink(path, realRoot);
      } else if (entry.isDirectory()) {
        pending.push(path);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) {
        files.push(path);
        if (files.length > limits.maxDocuments) throw new BulwarkError('E_LIMIT', `${root}: more than ${limits.maxDocuments} JSON files`);
      }
    }
  }
  return files;
}

/** Reads the listed files one at a time, each bounded in size. */
export async function* readOsvFiles(files: readonly string[], root: string, limits: ImportLimits): AsyncGenerator<OsvDocument> {
  let total = 0;
  for (const path of files) {
    const bytes = await readRegularFile(path, limits.maxDocumentBytes);
    total += bytes.length;
    if (total > limits.maxTotalBytes) throw new BulwarkError('E_LIMIT', `${root}: the JSON files add up to more than ${limits.maxTotalBytes} bytes`);
    yield { where: path, bytes };
  }
}

/**
 * The tree may change between listing and reading: O_NOFOLLOW refuses a file swapped for a link,
 * O_NONBLOCK keeps a file swapped for a FIFO from hanging the open, and fstat checks what was opened.
 */
async function readRegularFile(path: string, cap: number): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new BulwarkError('E_PATH', `${path}: became a symbolic link while importing, refusing it`);
    throw new BulwarkError('E_INPUT', `${path}: cannot be read (${(e as Error).message})`, { cause: e });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new BulwarkError('E_PATH', `${path}: not a regular file, refusing to read it`);
    if (info.size > cap) throw new BulwarkError('E_LIMIT', `${path}: ${info.size} bytes, over the ${cap} byte limit for one record`);
    const bytes = await handle.readFile();
    if (bytes.length > cap) throw new BulwarkError('E_LIMIT', `${path}: grew past the ${cap} byte limit while read`);
    return bytes;
  } finally {
    await handle.close();
  }
}

async function checkLink(path: string, realRoot: string): Promise<void> {
  let target: string;
  try {
    target = await realpath(path);
  } catch {
    return; // dangling: nothing to read, nothing to follow
  }
  const rel = relative(realRoot, target);
  if (rel === '..' || rel.startsWith(`..${sep}`) || rel === target) {
    throw new BulwarkError('E_PATH', `${path}: symbolic link pointing outside ${realRoot} (to ${target}), refusing the directory`);
  }
}

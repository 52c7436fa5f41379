import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BulwarkError } from '../core/errors.js';

/** The largest input file read (a cluster snapshot of a large cluster is tens of MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputFile {
  path: string;
  text: string;
}

/**
 * The files a `PATH...|-` command reads: files as named, directories walked for files whose name
 * `matches` (sorted, dot-directories skipped), `-` as standard input. A missing path is a one-line error.
 */
export async function readInputs(paths: readonly string[], matches: (name: string) => boolean): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const path of paths) {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      out.push({ path: '<stdin>', text: Buffer.concat(chunks).toString('utf8') });
      continue;
    }
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new BulwarkError('E_NOT_FOUND', `${path}: no such file or directory`);
    if (st.isDirectory()) {
      for (const file of await walk(path, matches)) out.push(await readOne(file));
    } else out.push(await readOne(path));
  }
  return out;
}

async function readOne(path: string): Promise<InputFile> {
  const st = await stat(path);
  if (st.size > MAX_INPUT_BYTES) throw new BulwarkError('E_LIMIT', `${path}: ${st.size} bytes, over the ${MAX_INPUT_BYTES / 1024 ** 2} MiB input limit`);
  return { path, text: await readFile(path, 'utf8') };
}

async function walk(dir: string, matches: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full, matches)));
    else if (entry.isFile() && matches(entry.name)) found.push(full);
  }
  return found;
}

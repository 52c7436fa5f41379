import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import { DEFAULT_LIMITS, ExpansionGuard, type SizeLimits } from '../../image/limits.js';
import type { Platform } from '../platform.js';
import type { ImageSource } from '../types.js';
import { DirectoryBlobStore, TarBlobStore, type BlobStore } from './blob-store.js';
import { openDockerArchive } from './docker-archive.js';
import { openOciLayout } from './oci-layout.js';

export interface InputOptions {
  /** Tag or name selecting one image when the archive holds several. */
  wanted?: string;
  platform: Platform;
  tempDir: string;
  limits?: SizeLimits;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** `docker save | gzip` output: inflated once into scratch space, since members need random access. */
async function inflateToTemp(path: string, tempDir: string, limits: SizeLimits): Promise<string> {
  const target = join(tempDir, 'input.tar');
  const source = createReadStream(path);
  let read = 0;
  source.on('data', (c) => (read += c.length));
  try {
    await pipeline(source, createGunzip(), new ExpansionGuard(limits, () => read, path), createWriteStream(target));
  } catch (e) {
    if (isBulwarkError(e)) throw e;
    throw new BulwarkError('E_FORMAT', `${path}: corrupt gzip data (${(e as Error).message})`);
  }
  return target;
}

async function storeFor(path: string, options: InputOptions): Promise<BlobStore> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new BulwarkError('E_INPUT', `${path}: no such file or directory`);
  }
  if (info.isDirectory()) return new DirectoryBlobStore(path);
  if (!info.isFile()) throw new BulwarkError('E_INPUT', `${path}: not a file or directory`);
  const tarPath = (await isGzip(path)) ? await inflateToTemp(path, options.tempDir, options.limits ?? DEFAULT_LIMITS) : path;
  return TarBlobStore.open(tarPath, path);
}

/** `--input PATH`: a docker-archive (docker save) or an OCI image layout, as a directory or a tar. */
export async function openInput(path: string, options: InputOptions): Promise<ImageSource> {
  const store = await storeFor(path, options);
  if (await store.has('manifest.json')) return openDockerArchive(store, path, { wanted: options.wanted });
  if (await store.has('index.json')) return openOciLayout(store, path, { tag: options.wanted, platform: options.platform });
  throw new BulwarkError('E_UNSUPPORTED', `${path}: not a container image (no manifest.json of docker save, no index.json of an OCI layout)`);
}

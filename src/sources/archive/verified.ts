import { BulwarkError } from '../../core/errors.js';
import { digestLike } from '../digest.js';
import type { BlobStore } from './blob-store.js';

export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

/** Reads a small blob (manifest, index, config) and refuses it unless its bytes hash to its name. */
export async function readVerifiedBlob(store: BlobStore, digest: string, what: string): Promise<Buffer> {
  if (!(await store.has(blobPath(digest)))) {
    throw new BulwarkError('E_NOT_FOUND', `${store.location}: ${what} blob ${digest} is missing`);
  }
  const bytes = await store.read(blobPath(digest));
  const actual = digestLike(bytes, digest);
  if (actual !== digest) {
    throw new BulwarkError('E_DIGEST', `${store.location}: ${what} blob ${digest} has digest ${actual}`);
  }
  return bytes;
}

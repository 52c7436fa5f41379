import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { DigestAlgorithm } from './checksums.js';

/** Hex digests of everything the handle reads, for each algorithm asked, in one streaming read. */
export async function hashFile(handle: FileHandle, algorithms: readonly DigestAlgorithm[]): Promise<Partial<Record<DigestAlgorithm, string>>> {
  const hashes = algorithms.map((a) => [a, createHash(a)] as [DigestAlgorithm, Hash]);
  const stream = handle.createReadStream({ start: 0, highWaterMark: 1024 * 1024, autoClose: false });
  for await (const chunk of stream) {
    for (const [, h] of hashes) h.update(chunk as Buffer);
  }
  return Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')]));
}

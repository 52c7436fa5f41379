import { createHash } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Digest of `bytes` with the algorithm named by `expected` (sha256 or sha512). */
export function digestLike(bytes: Buffer, expected: string): string {
  const algorithm = expected.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function verifyDigest(bytes: Buffer, expected: string, what: string, label: string): void {
  const actual = digestLike(bytes, expected);
  if (actual !== expected) {
    throw new BulwarkError('E_DIGEST', `${label}: ${what} digest mismatch: expected ${expected}, registry sent content with ${actual}`);
  }
}

import type { Readable } from 'node:stream';
import { BINARY_SNIFF_BYTES } from '../../modules/secrets/scan.js';

/** A file's bytes when they are text within the limit, or why they were not kept. */
export type TextRead = { text: Buffer } | { skipped: 'binary' | 'too-large' };

/**
 * Reads one file's stream for the secret scanner: a NUL byte in the first 8 KiB makes it binary (the
 * rest is drained without being kept); otherwise the bytes are kept up to `limit`. Listens to 'data'
 * rather than async iteration: per-chunk promise overhead shows on images of many small files.
 */
export function readText(stream: Readable, size: number, limit: number): Promise<TextRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = (result: TextRead): void => {
      stream.off('data', onData).off('end', onEnd).off('error', reject);
      chunks.length = 0;
      // Nothing listens for data any more: resume() lets the rest flow past and be dropped.
      stream.on('error', () => {}).resume();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (length < BINARY_SNIFF_BYTES && chunk.subarray(0, BINARY_SNIFF_BYTES - length).includes(0)) return stop({ skipped: 'binary' });
      length += chunk.length;
      if (length > limit) return stop({ skipped: 'too-large' });
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stream.off('data', onData).off('error', reject);
      resolve({ text: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length) });
    };
    // The header's size is the expected length: a file that says it is small is not trusted to stay small.
    if (size > limit) {
      stream.on('error', () => {}).resume();
      resolve({ skipped: 'too-large' });
      return;
    }
    stream.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

import type { Readable } from 'node:stream';
import type { Inspector } from '../types.js';
import { isElf } from './elf.js';
import { readAuditData, SECTION, type RustBinaryCrate } from './auditable.js';

/** Executables larger than this are not read (the section headers sit at the end, so it is all or nothing). */
export const MAX_BINARY_BYTES = 64 * 1024 * 1024;
const MIN_BINARY_BYTES = 1024;
const MARKER = Buffer.from(SECTION);

export function wantsBinary(info: { size: number; mode: number }): boolean {
  return (info.mode & 0o111) !== 0 && info.size >= MIN_BINARY_BYTES && info.size <= MAX_BINARY_BYTES;
}

/**
 * Buffers an executable only if it starts as ELF, notes whether the section name `.dep-v0` streams past
 * (it lives in the section name table), and parses the section only then. Stops at the first chunk for
 * anything that is not ELF.
 */
export const inspectRustBinary: Inspector = async (stream: Readable): Promise<RustBinaryCrate[] | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  let checked = false;
  let marked = false;
  let tail = Buffer.alloc(0);
  for await (const data of stream as AsyncIterable<Buffer>) {
    chunks.push(data);
    size += data.length;
    if (!checked && size >= 4) {
      if (!isElf(Buffer.concat(chunks).subarray(0, 4))) return undefined;
      checked = true;
    }
    if (size > MAX_BINARY_BYTES) return undefined;
    if (!marked) {
      // The marker may straddle two chunks: look at the previous chunk's end joined to this one's start.
      marked = data.includes(MARKER) || Buffer.concat([tail, data.subarray(0, MARKER.length - 1)]).includes(MARKER);
      tail = Buffer.from(data.subarray(Math.max(0, data.length - (MARKER.length - 1))));
    }
  }
  if (!checked || !marked) return undefined;
  return readAuditData(Buffer.concat(chunks, size));
};

import { formatError, type RpmBlob } from './blob.js';

/*
 * rpm's own "ndb" package store (Packages.db, used by SUSE): little-endian throughout. The first slot
 * pages hold a 32-byte file header then 16-byte slots (magic, header number, block offset, block
 * count); each slot points at a blob in 16-byte blocks: a head (magic, header number, timestamp,
 * length), the header bytes, zero padding, and a tail (adler32, length, magic).
 */

const DB_MAGIC = fourcc('RpmP');
const SLOT_MAGIC = fourcc('Slot');
const BLOB_HEAD_MAGIC = fourcc('BlbS');
const BLOB_TAIL_MAGIC = fourcc('BlbE');
const DB_VERSION = 0;
const DB_HEADER_SIZE = 32;
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const BLOB_HEAD_SIZE = 16;
const BLOB_TAIL_SIZE = 12;

interface Slot {
  headerNumber: number;
  blkoff: number;
  blkcnt: number;
}

export function readNdbBlobs(content: Buffer, dbPath: string): RpmBlob[] {
  const fail = (reason: string): Error => formatError(dbPath, `ndb: ${reason}`);
  const slots = readSlots(content, fail);
  return slots
    .map((slot) => ({ headerNumber: slot.headerNumber, blob: readBlob(content, slot, fail) }))
    .sort((a, b) => a.headerNumber - b.headerNumber);
}

function readSlots(b: Buffer, fail: (r: string) => Error): Slot[] {
  if (b.length < PAGE_SIZE) throw fail(`file of ${b.length} bytes is shorter than one slot page`);
  if (b.readUInt32LE(0) !== DB_MAGIC) throw fail('bad magic');
  const version = b.readUInt32LE(4);
  if (version !== DB_VERSION) throw fail(`unsupported version ${version}`);
  const slotPages = b.readUInt32LE(12);
  if (slotPages === 0 || slotPages * PAGE_SIZE > b.length) {
    throw fail(`header names ${slotPages} slot pages but the file has ${b.length} bytes`);
  }
  const minBlkoff = (slotPages * PAGE_SIZE) / BLK_SIZE;
  const fileBlks = Math.floor(b.length / BLK_SIZE);
  const slots: Slot[] = [];
  for (let at = DB_HEADER_SIZE; at < slotPages * PAGE_SIZE; at += SLOT_SIZE) {
    if (b.readUInt32LE(at) !== SLOT_MAGIC) throw fail(`bad slot magic at byte ${at}`);
    const blkoff = b.readUInt32LE(at + 8);
    if (blkoff === 0) continue;
    const slot = { headerNumber: b.readUInt32LE(at + 4), blkoff, blkcnt: b.readUInt32LE(at + 12) };
    if (slot.headerNumber === 0 || slot.blkcnt === 0 || slot.blkoff < minBlkoff) throw fail(`bad slot at byte ${at}`);
    if (slot.blkoff + slot.blkcnt > fileBlks) {
      throw fail(`slot for header #${slot.headerNumber} points past the end of the file (truncated database)`);
    }
    slots.push(slot);
  }
  return slots;
}

function readBlob(b: Buffer, slot: Slot, fail: (r: string) => Error): Buffer {
  const start = slot.blkoff * BLK_SIZE;
  const end = start + slot.blkcnt * BLK_SIZE;
  const where = `blob of header #${slot.headerNumber}`;
  if (end - start < BLOB_HEAD_SIZE + BLOB_TAIL_SIZE) throw fail(`${where} is too small`);
  if (b.readUInt32LE(start) !== BLOB_HEAD_MAGIC) throw fail(`${where} has a bad head magic`);
  if (b.readUInt32LE(start + 4) !== slot.headerNumber) throw fail(`${where} names header #${b.readUInt32LE(start + 4)}`);
  const length = b.readUInt32LE(start + 12);
  if (slot.blkcnt !== Math.ceil((BLOB_HEAD_SIZE + length + BLOB_TAIL_SIZE) / BLK_SIZE)) {
    throw fail(`${where} length ${length} does not fit its ${slot.blkcnt} blocks`);
  }
  const tail = end - BLOB_TAIL_SIZE;
  if (b.readUInt32LE(tail + 8) !== BLOB_TAIL_MAGIC) throw fail(`${where} has a bad tail magic`);
  if (b.readUInt32LE(tail + 4) !== length) throw fail(`${where} tail length differs from its head`);
  if (b.readUInt32LE(tail) !== adler32(b.subarray(start, tail))) throw fail(`${where} fails its adler32 checksum`);
  return b.subarray(start + BLOB_HEAD_SIZE, start + BLOB_HEAD_SIZE + length);
}

/** Adler-32 (RFC 1950), which ndb computes over a blob's head, data and padding. */
export function adler32(data: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < data.length; ) {
    const chunkEnd = Math.min(i + 5552, data.length);
    for (; i < chunkEnd; i++) {
      s1 += data[i] ?? 0;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

function fourcc(s: string): number {
  return Buffer.from(s, 'latin1').readUInt32LE(0);
}

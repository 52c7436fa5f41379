import { BulwarkError } from '../../../core/errors.js';

/** rpm header entry types (rpmTagType). */
export const RpmType = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** Same limits rpm itself applies before trusting a header (hdrchkTags / hdrchkData). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;
const ENTRY_SIZE = 16;
const PREAMBLE_SIZE = 8;

interface IndexEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

/** Where a blob came from, for error messages. */
export interface BlobOrigin {
  dbPath: string;
  headerNumber: number;
}

/**
 * A parsed rpm header as stored in the rpmdb: int32 il, int32 dl, il index entries of 16 bytes
 * (tag, type, offset, count; big-endian), then dl bytes of data. Values are decoded on demand, with
 * every read checked against the data store.
 */
export class RpmHeader {
  private readonly entries = new Map<number, IndexEntry>();
  private readonly data: Buffer;
  private readonly origin: BlobOrigin;

  constructor(blob: Buffer, origin: BlobOrigin) {
    this.origin = origin;
    if (blob.length < PREAMBLE_SIZE) this.fail(`blob of ${blob.length} bytes is shorter than the header preamble`);
    const il = blob.readUInt32BE(0);
    const dl = blob.readUInt32BE(4);
    if (il === 0 || il > MAX_TAGS) this.fail(`index count ${il} out of range`);
    if (dl > MAX_DATA) this.fail(`data length ${dl} out of range`);
    const dataStart = PREAMBLE_SIZE + il * ENTRY_SIZE;
    if (dataStart + dl > blob.length) {
      this.fail(`header needs ${dataStart + dl} bytes (${il} entries, ${dl} data) but the blob has ${blob.length}`);
    }
    this.data = blob.subarray(dataStart, dataStart + dl);
    for (let i = 0; i < il; i++) this.addEntry(blob, PREAMBLE_SIZE + i * ENTRY_SIZE);
  }

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** A STRING, or the first string of a STRING_ARRAY / I18NSTRING. */
  string(tag: number): string | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== RpmType.STRING && e.type !== RpmType.STRING_ARRAY && e.type !== RpmType.I18NSTRING) {
      this.fail(`tag ${tag} has type ${e.type}, expected a string`);
    }
    return this.readStrings(e, 1)[0];
  }

  stringArray(tag: number): string[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== RpmType.STRING_ARRAY && e.type !== RpmType.STRING && e.type !== RpmType.I18NSTRING) {
      this.fail(`tag ${tag} has type ${e.type}, expected a string array`);
    }
    return this.readStrings(e, e.type === RpmType.STRING ? 1 : e.count);
  }

  /** Integer values of an INT8/16/32/64 or CHAR entry. */
  numbers(tag: number): number[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    const width = intWidth(e.type);
    if (width === undefined) this.fail(`tag ${tag} has type ${e.type}, expected an integer`);
    this.checkExtent(e, e.count * width);
    const out: number[] = [];
    for (let i = 0; i < e.count; i++) out.push(readInt(this.data, e.offset + i * width, width));
    return out;
  }

  fail(reason: string): never {
    throw new BulwarkError(
      'E_FORMAT',
      `malformed rpm header #${this.origin.headerNumber} in ${this.origin.dbPath}: ${reason}`,
    );
  }

  private addEntry(blob: Buffer, at: number): void {
    const entry: IndexEntry = {
      tag: blob.readUInt32BE(at),
      type: blob.readUInt32BE(at + 4),
      offset: blob.readInt32BE(at + 8),
      count: blob.readUInt32BE(at + 12),
    };
    if (entry.type > RpmType.I18NSTRING) this.fail(`tag ${entry.tag} has unknown type ${entry.type}`);
    if (entry.offset < 0 || entry.offset > this.data.length) {
      this.fail(`tag ${entry.tag} offset ${entry.offset} outside the ${this.data.length}-byte data store`);
    }
    if (entry.count > MAX_DATA) this.fail(`tag ${entry.tag} count ${entry.count} out of range`);
    // Entries added after the immutable region (install-time "dribble") override earlier ones.
    this.entries.set(entry.tag, entry);
  }

  private checkExtent(e: IndexEntry, bytes: number): void {
    if (e.offset + bytes > this.data.length) {
      this.fail(`tag ${e.tag} needs ${bytes} bytes at offset ${e.offset}, beyond the ${this.data.length}-byte data store`);
    }
  }

  private readStrings(e: IndexEntry, count: number): string[] {
    const out: string[] = [];
    let pos = e.offset;
    for (let i = 0; i < count; i++) {
      const end = this.data.indexOf(0, pos);
      if (end < 0) this.fail(`tag ${e.tag} string ${i} is not NUL-terminated inside the data store`);
      out.push(this.data.toString('utf8', pos, end));
      pos = end + 1;
    }
    return out;
  }
}

function intWidth(type: number): number | undefined {
  switch (type) {
    case RpmType.CHAR:
    case RpmType.INT8:
      return 1;
    case RpmType.INT16:
      return 2;
    case RpmType.INT32:
      return 4;
    case RpmType.INT64:
      return 8;
    default:
      return undefined;
  }
}

function readInt(buf: Buffer, at: number, width: number): number {
  switch (width) {
    case 1:
      return buf.readUInt8(at);
    case 2:
      return buf.readUInt16BE(at);
    case 4:
      return buf.readUInt32BE(at);
    default:
      return Number(buf.readBigUInt64BE(at));
  }
}

import { formatError, type RpmBlob } from './blob.js';

/*
 * A read-only reader for the Berkeley DB hash file rpm used before 4.16 (/var/lib/rpm/Packages).
 * There is no maintained JavaScript library for Berkeley DB, so this walks the pages by hand: the hash
 * meta page gives the page size, bucket count and the "spares" table that maps a bucket to its first
 * page; each bucket is a chain of hash pages holding key/data pairs; large data items live on chains
 * of overflow pages. The file's byte order is the writer's, told apart by the magic number.
 */

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;
const DBMETA_CHKSUM = 0x01;
const SPARES_OFFSET = 96;
const NCACHED = 32;

interface Meta {
  le: boolean;
  pageSize: number;
  lastPgno: number;
  maxBucket: number;
  spares: number[];
}

export function readBdbBlobs(content: Buffer, dbPath: string): RpmBlob[] {
  const reader = new BdbReader(content, dbPath);
  return reader.readAll();
}

class BdbReader {
  private readonly meta: Meta;

  constructor(
    private readonly buf: Buffer,
    private readonly dbPath: string,
  ) {
    this.meta = this.readMeta();
  }

  readAll(): RpmBlob[] {
    const out: RpmBlob[] = [];
    const seen = new Set<number>();
    for (let bucket = 0; bucket <= this.meta.maxBucket; bucket++) {
      let pgno = bucket + (this.meta.spares[log2(bucket + 1)] ?? 0);
      while (pgno !== 0) {
        if (seen.has(pgno)) throw this.error(`hash page ${pgno} is linked twice (loop in bucket ${bucket})`);
        seen.add(pgno);
        const page = this.page(pgno);
        const type = page[25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED) throw this.error(`page ${pgno} of bucket ${bucket} has type ${type}, expected a hash page`);
        this.readPairs(page, pgno, out);
        pgno = this.u32(page, 16);
      }
    }
    return out.sort((a, b) => a.headerNumber - b.headerNumber);
  }

  private readMeta(): Meta {
    const b = this.buf;
    if (b.length < 512) throw this.error(`file of ${b.length} bytes is too short for a Berkeley DB meta page`);
    const le = b.readUInt32LE(12) === HASH_MAGIC;
    if (!le && b.readUInt32BE(12) !== HASH_MAGIC) throw this.error('not a Berkeley DB hash database (bad magic)');
    const u32 = (at: number): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const pageSize = u32(20);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw this.error(`bad page size ${pageSize}`);
    if (b[24] !== 0) throw this.error('encrypted databases are not supported');
    if (b[25] !== P_HASHMETA) throw this.error(`meta page has type ${b[25]}, expected a hash meta page`);
    if ((b[26] ?? 0) & DBMETA_CHKSUM) throw this.error('checksummed databases are not supported');
    const lastPgno = u32(32);
    if ((lastPgno + 1) * pageSize > b.length) {
      throw this.error(`truncated: the meta page names ${lastPgno + 1} pages of ${pageSize} bytes but the file has ${b.length} bytes`);
    }
    const maxBucket = u32(72);
    if (maxBucket > lastPgno) throw this.error(`max bucket ${maxBucket} exceeds the last page ${lastPgno}`);
    const spares: number[] = [];
    for (let i = 0; i < NCACHED; i++) spares.push(u32(SPARES_OFFSET + i * 4));
    return { le, pageSize, lastPgno, maxBucket, spares };
  }

  private readPairs(page: Buffer, pgno: number, out: RpmBlob[]): void {
    const entries = this.u16(page, 20);
    if (entries % 2 !== 0) throw this.error(`hash page ${pgno} has an odd number of items (${entries})`);
    if (PAGE_HEADER + entries * 2 > page.length) throw this.error(`hash page ${pgno} claims ${entries} items`);
    for (let i = 0; i < entries; i += 2) {
      const key = this.item(page, pgno, i);
      if (key.length !== 4) throw this.error(`key of ${key.length} bytes on page ${pgno}, expected a 4-byte header number`);
      const headerNumber = this.u32(key, 0);
      // Key 0 holds rpm's next-instance counter, not a package.
      if (headerNumber === 0) continue;
      out.push({ headerNumber, blob: this.item(page, pgno, i + 1) });
    }
  }

  /** Item `index` of a hash page: inline data, or the bytes of its overflow chain. */
  private item(page: Buffer, pgno: number, index: number): Buffer {
    const start = this.u16(page, PAGE_HEADER + index * 2);
    const end = index === 0 ? page.length : this.u16(page, PAGE_HEADER + (index - 1) * 2);
    if (start < PAGE_HEADER + 2 || start >= end || end > page.length) {
      throw this.error(`item ${index} on page ${pgno} has bad bounds ${start}..${end}`);
    }
    const type = page[start];
    if (type === H_KEYDATA) return page.subarray(start + 1, end);
    if (type === H_OFFPAGE && end - start >= 12) return this.overflow(this.u32(page, start + 4), this.u32(page, start + 8));
    throw this.error(`item ${index} on page ${pgno} has unsupported type ${type}`);
  }

  private overflow(firstPgno: number, totalLength: number): Buffer {
    if (totalLength > this.buf.length) throw this.error(`overflow item of ${totalLength} bytes is larger than the file`);
    const parts: Buffer[] = [];
    let have = 0;
    const seen = new Set<number>();
    for (let pgno = firstPgno; have < totalLength; ) {
      if (pgno === 0) throw this.error(`overflow chain from page ${firstPgno} ends after ${have} of ${totalLength} bytes`);
      if (seen.has(pgno)) throw this.error(`overflow chain from page ${firstPgno} loops at page ${pgno}`);
      seen.add(pgno);
      const page = this.page(pgno);
      if (page[25] !== P_OVERFLOW) throw this.error(`page ${pgno} has type ${page[25]}, expected an overflow page`);
      // On overflow pages hf_offset holds the number of bytes stored on the page.
      const len = this.u16(page, 22);
      if (PAGE_HEADER + len > page.length) throw this.error(`overflow page ${pgno} claims ${len} bytes`);
      parts.push(page.subarray(PAGE_HEADER, PAGE_HEADER + len));
      have += len;
      pgno = this.u32(page, 16);
    }
    if (have !== totalLength) throw this.error(`overflow chain from page ${firstPgno} holds ${have} bytes, expected ${totalLength}`);
    return Buffer.concat(parts, have);
  }

  private page(pgno: number): Buffer {
    if (pgno > this.meta.lastPgno) throw this.error(`page ${pgno} is past the last page ${this.meta.lastPgno}`);
    const start = pgno * this.meta.pageSize;
    return this.buf.subarray(start, start + this.meta.pageSize);
  }

  private u32(b: Buffer, at: number): number {
    return this.meta.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private u16(b: Buffer, at: number): number {
    return this.meta.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  private error(reason: string): Error {
    return formatError(this.dbPath, `Berkeley DB: ${reason}`);
  }
}

/** Berkeley DB's __db_log2: the smallest i with 2^i >= n. */
function log2(n: number): number {
  let i = 0;
  for (let limit = 1; limit < n; limit <<= 1) i++;
  return i;
}

/**
 * Writes OSV records as an all.zip (yazl) or a directory of JSON files, the way OSV publishes them
 * (`<ID>.json` at the root of `<Ecosystem>/all.zip`), plus hostile variants for the importer's tests.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

/** An OSV document as published (snake_case fields); loose on purpose so tests can also write invalid ones. */
export type OsvJson = Record<string, unknown> & { id: string };

export interface AffectedSpec {
  ecosystem: string;
  name: string;
  /** ECOSYSTEM range events, e.g. [{ introduced: '0' }, { fixed: '1.2-3' }]. */
  events?: Record<string, string>[];
  versions?: string[];
  rangeType?: 'ECOSYSTEM' | 'SEMVER' | 'GIT';
}

const FIXED_DATE = new Date('2024-01-01T00:00:00Z');

/** A valid OSV record with the given affected packages. */
export function osv(id: string, affected: AffectedSpec[], extra: Record<string, unknown> = {}): OsvJson {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2025-06-01T00:00:00Z',
    published: '2025-05-01T00:00:00Z',
    aliases: [],
    summary: `summary of ${id}`,
    details: `details of ${id}`,
    affected: affected.map((a) => ({
      package: { ecosystem: a.ecosystem, name: a.name },
      ranges: a.events ? [{ type: a.rangeType ?? 'ECOSYSTEM', events: a.events }] : [],
      ...(a.versions ? { versions: a.versions } : {}),
    })),
    references: [{ type: 'ADVISORY', url: `https://example.invalid/${id}` }],
    ...extra,
  };
}

export interface ZipEntry {
  name: string;
  content: Buffer | string;
  /** Unix mode including the file type bits (0o120777 makes a symbolic link entry). */
  mode?: number;
  /** Default true (deflate). */
  compress?: boolean;
}

/** The zip's bytes; entries as given, a name ending in "/" being a directory (yazl refuses absolute and ".." names: see renameZipEntry). */
export async function zipBuffer(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.name.endsWith('/')) {
      zip.addEmptyDirectory(e.name, { mtime: FIXED_DATE });
      continue;
    }
    zip.addBuffer(Buffer.from(e.content), e.name, { mtime: FIXED_DATE, mode: e.mode ?? 0o100644, compress: e.compress ?? true });
  }
  zip.end();
  return buffer(zip.outputStream);
}

/** `<ID>.json` for each record, at the root as in OSV's all.zip (or under `<dir>/` with a prefix). */
export function recordEntries(records: OsvJson[], prefix = ''): ZipEntry[] {
  return records.map((r) => ({ name: `${prefix}${r.id}.json`, content: JSON.stringify(r) }));
}

export async function writeZip(path: string, entries: ZipEntry[]): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await zipBuffer(entries));
  return path;
}

export async function writeOsvZip(path: string, records: OsvJson[]): Promise<string> {
  return writeZip(path, recordEntries(records));
}

/**
 * Streams many records into a zip without holding them (the 300k benchmark set). Not yazl: yazl
 * looks for its next pending entry by scanning every entry from the first (`getFirstNotDoneEntry`),
 * so writing n entries costs O(n²): 40k entries take 5.5 s, 300k would take minutes. This writer is
 * the plain format (deflate, CRC-32, central directory) plus a Zip64 end record past 65,535 entries.
 */
export async function writeOsvZipStream(path: string, records: Iterable<OsvJson>): Promise<{ entries: number; bytes: number }> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const closed = once(out, 'close');
  const central: Buffer[] = [];
  let offset = 0;
  let bytes = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    offset += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (const record of records) {
    const name = Buffer.from(`${record.id}.json`);
    const data = Buffer.from(JSON.stringify(record));
    const packed = deflateRawSync(data);
    bytes += data.length;
    const fields = { crc: crc32(data), compressed: packed.length, size: data.length, name, offset };
    if (offset > 0xffffffff) throw new Error('writeOsvZipStream: over 4 GiB needs Zip64 offsets, not written here');
    await write(Buffer.concat([localHeader(fields), name]));
    await write(packed);
    central.push(centralHeader(fields), name);
  }
  const cdOffset = offset;
  const cd = Buffer.concat(central);
  await write(cd);
  await write(endRecords(central.length / 2, cd.length, cdOffset, offset));
  out.end();
  await closed;
  return { entries: central.length / 2, bytes };
}

interface EntryFields {
  crc: number;
  compressed: number;
  size: number;
  name: Buffer;
  offset: number;
}

// DOS date/time of FIXED_DATE (2024-01-01 00:00): ((2024 - 1980) << 9) | (1 << 5) | 1, 00:00:00.
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;
const DEFLATE = 8;

function localHeader(e: EntryFields): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(UTF8_FLAG, 6);
  b.writeUInt16LE(DEFLATE, 8);
  b.writeUInt16LE(0, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(e.compressed, 18);
  b.writeUInt32LE(e.size, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28);
  return b;
}

function centralHeader(e: EntryFields): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(UTF8_FLAG, 8);
  b.writeUInt16LE(DEFLATE, 10);
  b.writeUInt16LE(0, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(e.compressed, 20);
  b.writeUInt32LE(e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  b.writeUInt32LE(e.offset, 42);
  return b;
}

/** Zip64 end record and locator (always: harmless below 65,535 entries), then the classic end record. */
function endRecords(entries: number, cdSize: number, cdOffset: number, zip64Offset: number): Buffer {
  const z = Buffer.alloc(56);
  z.writeUInt32LE(0x06064b50, 0);
  z.writeBigUInt64LE(44n, 4);
  z.writeUInt16LE(45, 12);
  z.writeUInt16LE(45, 14);
  z.writeBigUInt64LE(BigInt(entries), 24);
  z.writeBigUInt64LE(BigInt(entries), 32);
  z.writeBigUInt64LE(BigInt(cdSize), 40);
  z.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(zip64Offset), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries, 0xffff), 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([z, locator, end]);
}

/** Writes each record as `<dir>/<ID>.json` (or `<dir>/<ecosystem>/<ID>.json` with byEcosystem). */
export async function writeOsvDir(dir: string, records: OsvJson[], options: { byEcosystem?: boolean } = {}): Promise<string> {
  for (const r of records) {
    const first = (r.affected as { package?: { ecosystem?: string } }[] | undefined)?.[0]?.package?.ecosystem ?? 'none';
    const folder = options.byEcosystem ? join(dir, first.split(':')[0] ?? first) : dir;
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${r.id}.json`), JSON.stringify(r, null, 2));
  }
  return dir;
}

/**
 * Renames an entry in place, in its local header and in the central directory; the new name must
 * have the same byte length. This is how tests make zips with names yazl would refuse ("../x.json").
 */
export async function renameZipEntry(path: string, from: string, to: string): Promise<void> {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('renameZipEntry: names must have the same byte length');
  const data = await readFile(path);
  let replaced = 0;
  for (let at = data.indexOf(a); at >= 0; at = data.indexOf(a, at + a.length)) {
    b.copy(data, at);
    replaced++;
  }
  if (replaced < 2) throw new Error(`renameZipEntry: "${from}" found ${replaced} times, expected the local header and the central directory`);
  await writeFile(path, data);
}

/**
 * Overwrites an entry's declared uncompressed size (central directory) with `size`, leaving the data
 * alone: a header that lies about a decompression bomb, or claims an absurd size.
 */
export async function setDeclaredSize(path: string, entryName: string, size: number): Promise<void> {
  const data = await readFile(path);
  const name = Buffer.from(entryName);
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = data.indexOf(central); at >= 0; at = data.indexOf(central, at + 4)) {
    const nameLength = data.readUInt16LE(at + 28);
    if (data.subarray(at + 46, at + 46 + nameLength).equals(name)) {
      data.writeUInt32LE(size, at + 24);
      await writeFile(path, data);
      return;
    }
  }
  throw new Error(`setDeclaredSize: no central directory entry "${entryName}"`);
}

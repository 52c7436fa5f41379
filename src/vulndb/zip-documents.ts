import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { BulwarkError } from '../core/errors.js';
import type { ImportLimits, OsvDocument } from './import-limits.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export interface OsvZip {
  /** Entries in the central directory (JSON documents and anything else). */
  entryCount: number;
  /** The JSON documents, in central-directory order; other entries are skipped, hostile ones are errors. */
  documents(): AsyncGenerator<OsvDocument>;
  close(): void;
}

/**
 * Opens an OSV zip (one ecosystem's all.zip, or any zip of OSV JSON files). yauzl reads the central
 * directory (Zip64, name encodings, structure checks); entry data is read and inflated here,
 * synchronously: OSV zips hold hundreds of thousands of ~2 KB entries, and yauzl's per-entry
 * asynchronous file reads and zlib streams cost ~300 µs each in thread-pool round trips (a 300k
 * import spent most of its time idle) against ~20 µs this way.
 */
export async function openOsvZip(path: string, limits: ImportLimits): Promise<OsvZip> {
  let reader: WindowedFileReader;
  try {
    reader = new WindowedFileReader(path);
  } catch (e) {
    throw new BulwarkError('E_INPUT', `${path}: cannot be read (${(e as Error).message})`, { cause: e });
  }
  let zip: ZipFile;
  try {
    // decodeStrings: false so a hostile name is just bytes to report, not a reason for yauzl to stop before we can name it.
    zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, decodeStrings: false, autoClose: false });
  } catch (e) {
    reader.closeNow();
    throw new BulwarkError('E_FORMAT', `${path}: not a readable zip file (${(e as Error).message})`, { cause: e });
  }
  return {
    entryCount: zip.entryCount,
    documents: () => documents(zip, reader, path, limits),
    close: () => {
      zip.close();
      reader.closeNow();
    },
  };
}

async function* documents(zip: ZipFile, reader: WindowedFileReader, path: string, limits: ImportLimits): AsyncGenerator<OsvDocument> {
  let count = 0;
  let total = 0;
  for (;;) {
    const entry = await nextEntry(zip, path);
    if (!entry) return;
    const name = entryName(entry);
    const where = `${path}: entry ${JSON.stringify(name)}`;
    if (isPathLike(name)) throw new BulwarkError('E_PATH', `${where}: path-like entry name (absolute, drive-relative or with ".."), refusing the zip`);
    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw new BulwarkError('E_PATH', `${where}: symbolic link entry, refusing the zip`);
    if (name.endsWith('/') || !name.toLowerCase().endsWith('.json')) continue;
    if (++count > limits.maxDocuments) throw new BulwarkError('E_LIMIT', `${path}: more than ${limits.maxDocuments} JSON entries`);
    checkDeclaredSize(entry, where, limits);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) throw new BulwarkError('E_LIMIT', `${where}: the zip's entries add up to more than ${limits.maxTotalBytes} bytes`);
    yield { where, bytes: readEntry(reader, entry, where) };
  }
}

function checkDeclaredSize(entry: Entry, where: string, limits: ImportLimits): void {
  const size = entry.uncompressedSize;
  if (size > limits.maxDocumentBytes) {
    throw new BulwarkError('E_LIMIT', `${where}: declares ${size} bytes uncompressed, over the ${limits.maxDocumentBytes} byte limit for one record`);
  }
  const ratio = size / Math.max(1, entry.compressedSize);
  if (size > limits.ratioFloorBytes && ratio > limits.maxCompressionRatio) {
    throw new BulwarkError('E_LIMIT', `${where}: compression ratio ${Math.round(ratio)}:1 is over ${limits.maxCompressionRatio}:1, likely a decompression bomb`);
  }
}

/**
 * The entry's bytes, checked against its central-directory record: never more than the declared
 * size is inflated (a lying header cannot make a bomb), and the size and CRC-32 must match.
 */
function readEntry(reader: WindowedFileReader, entry: Entry, where: string): Buffer {
  if (entry.isEncrypted()) throw new BulwarkError('E_FORMAT', `${where}: encrypted entries are not supported`);
  const header = reader.bytes(entry.relativeOffsetOfLocalHeader, 30, where);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new BulwarkError('E_FORMAT', `${where}: no local file header where the central directory says`);
  const start = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const stored = reader.bytes(start, entry.compressedSize, where);
  let data: Buffer;
  if (entry.compressionMethod === STORED) {
    data = stored;
  } else if (entry.compressionMethod === DEFLATED) {
    try {
      // One output chunk of the declared size: the default 16 KiB chunks cost an allocation each.
      const size = Math.max(1, entry.uncompressedSize);
      data = inflateRawSync(stored, { maxOutputLength: size, chunkSize: Math.max(64, size) });
    } catch (e) {
      const tooBig = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      if (tooBig) throw new BulwarkError('E_LIMIT', `${where}: inflates past its declared ${entry.uncompressedSize} bytes`);
      throw new BulwarkError('E_FORMAT', `${where}: corrupt compressed data (${(e as Error).message})`, { cause: e });
    }
  } else {
    throw new BulwarkError('E_FORMAT', `${where}: compression method ${entry.compressionMethod} is not supported (only stored and deflate)`);
  }
  if (data.length !== entry.uncompressedSize) {
    throw new BulwarkError('E_FORMAT', `${where}: inflates to ${data.length} bytes, the zip declares ${entry.uncompressedSize}`);
  }
  if (crc32(data) !== entry.crc32) throw new BulwarkError('E_FORMAT', `${where}: CRC-32 mismatch, the zip is corrupt`);
  return data;
}

/** Absolute ("/x", "C:x", "\\x"), or climbing out ("../x", "a/../../x"): never a name an OSV export uses. */
function isPathLike(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0')) return true;
  return name.split(/[/\\]/).includes('..');
}

function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

function nextEntry(zip: ZipFile, path: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: Entry): void => {
      done();
      resolve(entry);
    };
    const onEnd = (): void => {
      done();
      resolve(undefined);
    };
    const onError = (e: Error): void => {
      done();
      reject(new BulwarkError('E_FORMAT', `${path}: broken zip (${e.message})`, { cause: e }));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

const WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * Serves reads of a zip file from two 4 MiB windows read synchronously: one follows the central
 * directory, the other the entries' data, so reading entry after entry is mostly memory copies.
 */
class WindowedFileReader extends yauzl.RandomAccessReader {
  readonly size: number;
  private fd: number | undefined;
  private windows: { start: number; data: Buffer }[] = [];

  constructor(private readonly path: string) {
    super();
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  bytes(start: number, length: number, where = this.path): Buffer {
    if (start < 0 || start + length > this.size) throw new BulwarkError('E_FORMAT', `${where}: data runs past the end of the zip (truncated file?)`);
    const hit = this.windows.find((w) => start >= w.start && start + length <= w.start + w.data.length);
    if (hit) return hit.data.subarray(start - hit.start, start - hit.start + length);
    if (this.fd === undefined) throw new BulwarkError('E_FORMAT', `${this.path}: read after close`);
    const data = Buffer.allocUnsafe(Math.min(Math.max(WINDOW_BYTES, length), this.size - start));
    for (let filled = 0; filled < data.length; ) {
      const n = readSync(this.fd, data, filled, data.length - filled, start + filled);
      if (n === 0) throw new BulwarkError('E_FORMAT', `${where}: the zip file ended early`);
      filled += n;
    }
    this.windows = [{ start, data }, ...this.windows.slice(0, 1)];
    return data.subarray(0, length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    try {
      this.bytes(position, length).copy(buffer, offset);
    } catch (e) {
      callback(e as Error);
      return;
    }
    callback(null);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([Buffer.from(this.bytes(start, end - start))]);
  }

  override close(callback: (err: Error | null) => void): void {
    this.closeNow();
    setImmediate(() => callback(null));
  }

  closeNow(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.windows = [];
  }
}

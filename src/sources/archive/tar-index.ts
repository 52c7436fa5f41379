import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';

interface IndexedEntry {
  offset: number;
  size: number;
  type: string;
  linkname: string;
}

const BLOCK = 512;

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
}

function numeric(buf: Buffer, start: number, length: number): number {
  const field = buf.subarray(start, start + length);
  if (field[0]! & 0x80) {
    // GNU base-256 encoding for sizes past 8 GiB.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const text = cString(buf, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === numeric(header, 148, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(data.subarray(pos, space).toString(), 10);
    if (!(length > 0)) break;
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

function normalize(name: string): string {
  return name.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/**
 * Offsets of every entry in an uncompressed tar, read from headers only, so one member (a layer of a
 * docker-archive or a blob of an OCI tar) can be streamed without reading the rest. Written by hand:
 * tar-stream and node-tar parse sequentially and do not expose entry offsets.
 */
export class TarIndex {
  private constructor(
    readonly path: string,
    private readonly entries: Map<string, IndexedEntry>,
  ) {}

  static async open(path: string): Promise<TarIndex> {
    const handle = await open(path, 'r');
    try {
      return new TarIndex(path, await scan(handle, path));
    } finally {
      await handle.close();
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  size(name: string): number | undefined {
    return this.find(name)?.size;
  }

  /** Follows symlinked members (docker save links duplicate layers) without leaving the archive. */
  private find(name: string, hops = 0): IndexedEntry | undefined {
    const entry = this.entries.get(normalize(name));
    if (!entry || entry.type !== '2' || hops > 8) return entry;
    const base = normalize(name).split('/').slice(0, -1);
    for (const part of entry.linkname.split('/')) {
      if (part === '..') {
        if (base.length === 0) return undefined;
        base.pop();
      } else if (part && part !== '.') base.push(part);
    }
    return this.find(base.join('/'), hops + 1);
  }

  stream(name: string): Readable {
    const entry = this.find(name);
    if (!entry) throw new BulwarkError('E_NOT_FOUND', `${this.path}: archive has no member ${name}`);
    if (entry.size === 0) return Readable.from([]);
    return createReadStream(this.path, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 1024 * 1024 });
  }

  async read(name: string, limit: number): Promise<Buffer> {
    const entry = this.find(name);
    if (!entry) throw new BulwarkError('E_NOT_FOUND', `${this.path}: archive has no member ${name}`);
    if (entry.size > limit) throw new BulwarkError('E_LIMIT', `${this.path}: member ${name} is larger than ${limit} bytes`);
    const handle = await open(this.path, 'r');
    try {
      const buf = Buffer.alloc(entry.size);
      await handle.read(buf, 0, entry.size, entry.offset);
      return buf;
    } finally {
      await handle.close();
    }
  }
}

async function scan(handle: FileHandle, path: string): Promise<Map<string, IndexedEntry>> {
  const { size: fileSize } = await handle.stat();
  const entries = new Map<string, IndexedEntry>();
  const header = Buffer.alloc(BLOCK);
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + BLOCK <= fileSize) {
    await handle.read(header, 0, BLOCK, offset);
    if (header.every((b) => b === 0)) return entries;
    if (!checksumOk(header)) throw new BulwarkError('E_FORMAT', `${path}: not a tar archive (bad header checksum at byte ${offset})`);
    const type = String.fromCharCode(header[156] || 0x30);
    const size = pax.size ? Number(pax.size) : numeric(header, 124, 12);
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > fileSize) throw new BulwarkError('E_FORMAT', `${path}: truncated tar (member at byte ${offset} runs past the end)`);
    if (type === 'x' || type === 'L' || type === 'g') {
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, dataOffset);
      if (type === 'x') pax = parsePax(data);
      if (type === 'L') longName = cString(data, 0, data.length);
    } else {
      const prefix = header.subarray(257, 263).toString() === 'ustar\0' ? cString(header, 345, 155) : '';
      const name = pax.path ?? longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
      entries.set(normalize(name), { offset: dataOffset, size, type, linkname: pax.linkpath ?? cString(header, 157, 100) });
      pax = {};
      longName = undefined;
    }
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (offset === 0) throw new BulwarkError('E_FORMAT', `${path}: empty file, not an image archive`);
  return entries;
}

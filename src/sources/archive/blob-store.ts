import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { TarIndex } from './tar-index.js';

/** Largest JSON document (manifest, index, config) read into memory. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Files of an image archive, whether it is an unpacked directory or a tar. Names are relative. */
export interface BlobStore {
  readonly location: string;
  has(name: string): Promise<boolean>;
  size(name: string): Promise<number | undefined>;
  read(name: string, limit?: number): Promise<Buffer>;
  stream(name: string): Readable;
}

function safeRelative(name: string, location: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (name.startsWith('/') || parts.includes('..')) {
    throw new BulwarkError('E_PATH', `${location}: refers to "${name}" outside the archive`);
  }
  return parts.join('/');
}

export class DirectoryBlobStore implements BlobStore {
  constructor(readonly location: string) {}

  async has(name: string): Promise<boolean> {
    return (await this.size(name)) !== undefined;
  }

  async size(name: string): Promise<number | undefined> {
    try {
      const s = await stat(join(this.location, safeRelative(name, this.location)));
      return s.isFile() ? s.size : undefined;
    } catch {
      return undefined;
    }
  }

  async read(name: string, limit = MAX_DOCUMENT_BYTES): Promise<Buffer> {
    const size = await this.size(name);
    if (size === undefined) throw new BulwarkError('E_NOT_FOUND', `${this.location}: missing ${name}`);
    if (size > limit) throw new BulwarkError('E_LIMIT', `${this.location}: ${name} is larger than ${limit} bytes`);
    const handle = await open(join(this.location, safeRelative(name, this.location)), 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  stream(name: string): Readable {
    return createReadStream(join(this.location, safeRelative(name, this.location)), { highWaterMark: 1024 * 1024 });
  }
}

export class TarBlobStore implements BlobStore {
  private constructor(
    private readonly index: TarIndex,
    readonly location: string,
  ) {}

  /** `shownAs` names the archive in messages when `path` is a scratch copy of it. */
  static async open(path: string, shownAs = path): Promise<TarBlobStore> {
    return new TarBlobStore(await TarIndex.open(path), shownAs);
  }

  async has(name: string): Promise<boolean> {
    return this.index.has(safeRelative(name, this.location));
  }

  async size(name: string): Promise<number | undefined> {
    return this.index.size(safeRelative(name, this.location));
  }

  async read(name: string, limit = MAX_DOCUMENT_BYTES): Promise<Buffer> {
    return this.index.read(safeRelative(name, this.location), limit);
  }

  stream(name: string): Readable {
    return this.index.stream(safeRelative(name, this.location));
  }
}

export function parseJsonDocument(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${where}: not valid JSON (${(e as Error).message})`);
  }
}

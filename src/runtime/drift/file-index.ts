/**
 * The file index of an image's final filesystem, the reference drift detection compares a running
 * container with: path -> type, size, mode, link target, and the sha256 of regular executables up to
 * a size bound. Built by one walk of the image's layers through the same layer walker `bulwark image`
 * uses (so whiteouts and opaque directories are honoured), then cached in memory and on disk by image ID.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { buildView } from '../../image/walker.js';
import type { FileType } from '../../image/types.js';
import type { SizeLimits } from '../../image/limits.js';
import type { ImageSource, SourceOptions } from '../../sources/types.js';

/** Regular executables up to this size are hashed by default (16 MiB). */
export const DEFAULT_MAX_HASH_BYTES = 16 * 1024 * 1024;
/** Bumped when the on-disk index format or what is indexed changes. */
export const FILE_INDEX_VERSION = 1;

const HASHER_ID = 'runtime-drift-sha256';
const MAX_LINK_HOPS = 40;

export interface IndexedFile {
  type: FileType;
  size: number;
  /** Permission bits plus setuid/setgid/sticky. */
  mode: number;
  /** Symlink target as stored; for a hard link the absolute path of the file it links to. */
  linkTarget?: string;
  /** sha256 (hex) of a regular executable's content, when its size is within the hash bound. */
  sha256?: string;
}

/** The serialized form (one JSON document per image). */
export interface FileIndexData {
  version: number;
  imageId: string;
  maxHashBytes: number;
  files: Array<[string, IndexedFile]>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** Lexically normalizes an absolute path inside a root ("/a/./b/../c" -> "/a/c"; never above "/"). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of splitPath(path)) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export class FileIndex {
  constructor(
    readonly imageId: string,
    private readonly files: ReadonlyMap<string, IndexedFile>,
    readonly maxHashBytes: number = DEFAULT_MAX_HASH_BYTES,
  ) {}

  get size(): number {
    return this.files.size;
  }

  /** The entry at exactly this (normalized) path, symlinks not followed. */
  get(path: string): IndexedFile | undefined {
    return this.files.get(normalizePath(path));
  }

  has(path: string): boolean {
    return this.files.has(normalizePath(path));
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  /**
   * Resolves a path as the kernel would inside the image root, using the index's link targets
   * (symlinks in every component; "/.." stays at "/"). A hard link resolves to the file it links to.
   * Returns the final path and its entry (undefined when the image has no such file).
   */
  resolve(path: string): { path: string; entry: IndexedFile | undefined } {
    const done: string[] = [];
    const pending = splitPath(path).reverse();
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const here = `/${[...done, part].join('/')}`;
      const entry = this.files.get(here);
      if (entry?.type === 'symlink' && hops++ < MAX_LINK_HOPS) {
        const target = entry.linkTarget ?? '';
        if (target.startsWith('/')) done.length = 0;
        pending.push(...splitPath(target).reverse());
        continue;
      }
      done.push(part);
      if (!entry && pending.length > 0) {
        done.push(...pending.reverse());
        return { path: `/${done.join('/')}`, entry: undefined };
      }
    }
    const finalPath = `/${done.join('/')}`;
    let entry = this.files.get(finalPath);
    if (entry?.type === 'hardlink' && entry.linkTarget) {
      const target = this.files.get(entry.linkTarget);
      if (target) entry = target;
    }
    return { path: finalPath, entry };
  }

  toJSON(): FileIndexData {
    return { version: FILE_INDEX_VERSION, imageId: this.imageId, maxHashBytes: this.maxHashBytes, files: [...this.files] };
  }

  static fromJSON(data: FileIndexData): FileIndex {
    if (data.version !== FILE_INDEX_VERSION) throw new Error(`file index version ${data.version}, expected ${FILE_INDEX_VERSION}`);
    return new FileIndex(data.imageId, new Map(data.files), data.maxHashBytes);
  }
}

export interface BuildIndexOptions {
  /** Regular executables up to this many bytes are hashed (default 16 MiB); 0 hashes nothing. */
  maxHashBytes?: number;
  limits?: SizeLimits;
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** One walk of the image's layers -> the index of its final filesystem. */
export async function buildFileIndex(source: ImageSource, options: BuildIndexOptions = {}): Promise<FileIndex> {
  const maxHashBytes = options.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES;
  const view = await buildView(source, {
    wants: () => false,
    inspectors: (_path, info) =>
      (info.mode & 0o111) !== 0 && info.size <= maxHashBytes ? [{ id: HASHER_ID, run: (stream) => sha256Of(stream) }] : [],
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const hashes = new Map<string, string>();
  for (const inspection of view.inspections(HASHER_ID)) hashes.set(inspection.path, inspection.value as string);
  const files = new Map<string, IndexedFile>();
  for (const info of view.entries()) {
    const entry: IndexedFile = { type: info.type, size: info.size, mode: info.mode };
    if (info.linkTarget !== undefined) entry.linkTarget = info.linkTarget;
    const hash = info.type === 'file' ? hashes.get(info.path) : info.type === 'hardlink' && info.linkTarget ? hashes.get(info.linkTarget) : undefined;
    if (hash) entry.sha256 = hash;
    files.set(info.path, entry);
  }
  if (!files.has('/')) files.set('/', { type: 'dir', size: 0, mode: 0o755 });
  return new FileIndex(source.configDigest, files, maxHashBytes);
}

export interface ImageIndexCacheOptions extends BuildIndexOptions {
  /** Opens the image with this ID (e.g. engineImageOpener). */
  open: (imageId: string) => Promise<ImageSource>;
  /** When set, indexes are stored here as `<hex of image ID>.json` and read back on the next run. */
  cacheDir?: string;
}

/** Builds each image's index once: in memory for the process, on disk across runs when cacheDir is set. */
export class ImageIndexCache {
  private readonly memo = new Map<string, Promise<FileIndex>>();

  constructor(private readonly options: ImageIndexCacheOptions) {}

  /** The loader DriftDetector takes. */
  readonly get = (imageId: string): Promise<FileIndex> => {
    let pending = this.memo.get(imageId);
    if (!pending) {
      pending = this.load(imageId);
      pending.catch(() => this.memo.delete(imageId));
      this.memo.set(imageId, pending);
    }
    return pending;
  };

  private diskPath(imageId: string): string | undefined {
    if (!this.options.cacheDir) return undefined;
    const hex = /^(?:sha256:)?([0-9a-f]{64})$/.exec(imageId)?.[1];
    return hex ? join(this.options.cacheDir, `${hex}.json`) : undefined;
  }

  private async load(imageId: string): Promise<FileIndex> {
    const maxHashBytes = this.options.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES;
    const file = this.diskPath(imageId);
    if (file) {
      try {
        const index = FileIndex.fromJSON(JSON.parse(await readFile(file, 'utf8')) as FileIndexData);
        if (index.imageId === imageId && index.maxHashBytes === maxHashBytes) return index;
      } catch {
        // absent, stale or corrupt: rebuild
      }
    }
    const source = await this.options.open(imageId);
    let index: FileIndex;
    try {
      index = await buildFileIndex(source, this.options);
    } finally {
      await source.close();
    }
    if (index.imageId !== imageId && /^sha256:[0-9a-f]{64}$/.test(imageId)) {
      throw new Error(`image ${imageId}: the engine served config ${index.imageId}`);
    }
    if (file) {
      await mkdir(this.options.cacheDir!, { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify(index.toJSON()));
      await rename(tmp, file);
    }
    return index;
  }
}

/**
 * Opens an image from the local Docker engine by ID through the project's image sources
 * (openImage with imageSrc docker); the export is spooled in a scratch folder removed on close.
 */
export function engineImageOpener(options: Partial<Pick<SourceOptions, 'dockerHost' | 'timeoutMs' | 'platform'>> = {}): (imageId: string) => Promise<ImageSource> {
  return async (imageId) => {
    const { openImage } = await import('../../sources/open-image.js');
    const tempDir = await mkdtemp(join(tmpdir(), 'bulwark-drift-'));
    try {
      const source = await openImage(
        { reference: imageId, imageSrc: ['docker'] },
        {
          platform: options.platform ?? { os: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch },
          insecure: false,
          timeoutMs: options.timeoutMs ?? 600_000,
          tempDir,
          ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
        },
      );
      const close = source.close.bind(source);
      return { ...source, close: async () => { try { await close(); } finally { await rm(tempDir, { recursive: true, force: true }); } } };
    } catch (e) {
      await rm(tempDir, { recursive: true, force: true });
      throw e;
    }
  };
}

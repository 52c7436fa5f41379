import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BulwarkError } from '../../core/errors.js';
import type { BlobCache } from '../../sources/types.js';

export interface LayerCacheOptions {
  /** The cache directory; blobs live at `<dir>/<algorithm>/<hex>`. Created when missing. */
  dir: string;
  /** Upper bound on stored bytes; least recently used blobs are evicted beyond it. Default: unbounded. */
  maxBytes?: number;
}

export interface LayerCacheStats {
  /** Bytes read from the network (every download attempt, including failed ones). */
  networkBytes: number;
  /** Requests served without a new download: already stored, or joined a download in flight. */
  hits: number;
  /** Of the hits, those that joined a download in flight. */
  joined: number;
  /** Requests that started a download. */
  misses: number;
  /** Downloads that failed (network error or digest/size mismatch). */
  failures: number;
  evictions: number;
  /** Bytes stored now. */
  storedBytes: number;
  /** Blobs stored now. */
  entries: number;
}

interface Entry {
  path: string;
  size: number;
  /** Readers between "present" and "file opened": never evicted meanwhile. */
  pins: number;
}

const DIGEST = /^(sha256):([a-f0-9]{64})$|^(sha512):([a-f0-9]{128})$/;

function split(digest: string, what: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const m = DIGEST.exec(digest);
  if (!m) throw new BulwarkError('E_DIGEST', `${what}: unsupported digest ${JSON.stringify(digest)}`);
  return m[1] ? { algorithm: 'sha256', hex: m[2]! } : { algorithm: 'sha512', hex: m[4]! };
}

/**
 * A content-addressed directory of blobs by digest. A blob is written to a temp file while its digest is computed,
 * then renamed into place only if the digest (and the size, when given) match; concurrent requests for one digest
 * share one download; stored bytes are bounded with least-recently-used eviction. One instance per directory and
 * process (the in-process index is the source of truth; a second process sharing the directory is not coordinated).
 */
export class LayerCache implements BlobCache {
  readonly dir: string;
  readonly maxBytes: number;
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  private readonly counters = { networkBytes: 0, hits: 0, joined: 0, misses: 0, failures: 0, evictions: 0 };
  private stored = 0;

  private constructor(options: LayerCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (!(this.maxBytes > 0)) throw new RangeError(`layer cache maxBytes must be positive, got ${options.maxBytes}`);
  }

  /** Opens (or creates) a cache directory, indexing the blobs already in it (oldest modification first) and removing stale temp files. */
  static async open(options: LayerCacheOptions): Promise<LayerCache> {
    const cache = new LayerCache(options);
    await mkdir(join(cache.dir, 'tmp'), { recursive: true });
    for (const name of await readdir(join(cache.dir, 'tmp'))) await unlink(join(cache.dir, 'tmp', name)).catch(() => undefined);
    const found: { key: string; path: string; size: number; mtime: number }[] = [];
    for (const algorithm of ['sha256', 'sha512']) {
      const folder = join(cache.dir, algorithm);
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const hex of names) {
        const key = `${algorithm}:${hex}`;
        if (!DIGEST.test(key)) continue;
        const path = join(folder, hex);
        const st = await stat(path).catch(() => undefined);
        if (st?.isFile()) found.push({ key, path, size: st.size, mtime: st.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const f of found) {
      cache.entries.set(f.key, { path: f.path, size: f.size, pins: 0 });
      cache.stored += f.size;
    }
    await cache.evict();
    return cache;
  }

  get stats(): LayerCacheStats {
    return { ...this.counters, storedBytes: this.stored, entries: this.entries.size };
  }

  has(digest: string): boolean {
    return this.entries.has(digest);
  }

  /** Path of a stored blob, or undefined. The file may be evicted by a later download: prefer open(). */
  pathOf(digest: string): string | undefined {
    return this.entries.get(digest)?.path;
  }

  /**
   * The blob's bytes as a stream from the cache file. `fetch` is called only when the digest is neither stored nor
   * being downloaded; a failed download rejects every request that shared it and is not remembered.
   */
  async open(digest: string, fetch: () => Promise<Readable>, info: { size?: number; what?: string } = {}): Promise<Readable> {
    const entry = await this.ensure(digest, fetch, info);
    try {
      const handle = await open(entry.path, 'r');
      return handle.createReadStream({ autoClose: true });
    } finally {
      entry.pins--;
      await this.evict();
    }
  }

  /** Makes the blob present and pins it (the caller unpins). */
  private async ensure(digest: string, fetch: () => Promise<Readable>, info: { size?: number; what?: string }): Promise<Entry> {
    const what = info.what ?? `blob ${digest}`;
    split(digest, what);
    const present = this.entries.get(digest);
    if (present) {
      this.counters.hits++;
      this.touch(digest, present);
      present.pins++;
      return present;
    }
    let pending = this.inFlight.get(digest);
    if (pending) {
      this.counters.hits++;
      this.counters.joined++;
    } else {
      this.counters.misses++;
      pending = this.download(digest, fetch, info.size, what).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    const entry = await pending;
    entry.pins++;
    return entry;
  }

  private touch(digest: string, entry: Entry): void {
    this.entries.delete(digest);
    this.entries.set(digest, entry);
  }

  private async download(digest: string, fetch: () => Promise<Readable>, size: number | undefined, what: string): Promise<Entry> {
    const { algorithm, hex } = split(digest, what);
    const tmp = join(this.dir, 'tmp', `${hex.slice(0, 16)}-${randomUUID()}`);
    const hash = createHash(algorithm);
    let bytes = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        bytes += chunk.length;
        this.counters.networkBytes += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      const body = await fetch();
      await pipeline(body, counter, createWriteStream(tmp, { flags: 'wx' }));
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== digest) throw new BulwarkError('E_DIGEST', `${what}: digest mismatch: expected ${digest}, registry sent content with ${actual}`);
      if (size !== undefined && bytes !== size) throw new BulwarkError('E_DIGEST', `${what}: ${bytes} bytes, manifest says ${size}`);
      const path = join(this.dir, algorithm, hex);
      await mkdir(join(this.dir, algorithm), { recursive: true });
      await rename(tmp, path);
      const entry: Entry = { path, size: bytes, pins: 0 };
      this.entries.set(digest, entry);
      this.stored += bytes;
      return entry;
    } catch (e) {
      this.counters.failures++;
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /** Evicts least recently used, unpinned blobs until the bound holds (pinned ones may keep it exceeded for a while). */
  private async evict(): Promise<void> {
    if (this.stored <= this.maxBytes) return;
    for (const [digest, entry] of [...this.entries]) {
      if (this.stored <= this.maxBytes) break;
      if (entry.pins > 0) continue;
      this.entries.delete(digest);
      this.stored -= entry.size;
      this.counters.evictions++;
      // Readers that already opened the file keep reading it: unlink only removes the name.
      await unlink(entry.path).catch(() => undefined);
    }
  }
}

/** Real layer tars for the efficiency tests, written with tar-stream (optionally gzipped). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import type { Header, Pack } from 'tar-stream';
import type { ImageSource } from '../../../src/sources/types.js';

export type Entry =
  | { kind: 'file'; name: string; size: number }
  | { kind: 'dir'; name: string }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'hardlink'; name: string; target: string }
  | { kind: 'whiteout'; name: string }
  | { kind: 'opaque'; dir: string };

export const file = (name: string, size: number): Entry => ({ kind: 'file', name, size });
export const dir = (name: string): Entry => ({ kind: 'dir', name });
export const symlink = (name: string, target: string): Entry => ({ kind: 'symlink', name, target });
export const hardlink = (name: string, target: string): Entry => ({ kind: 'hardlink', name, target });
/** `.wh.<base>` next to the deleted path. */
export const whiteout = (name: string): Entry => ({ kind: 'whiteout', name });
export const opaque = (dirName: string): Entry => ({ kind: 'opaque', dir: dirName });

const MTIME = new Date('2024-01-01T00:00:00Z');

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

function header(entry: Entry): { header: EntryHeader; content?: Buffer } {
  const base = { uid: 0, gid: 0, mtime: MTIME };
  switch (entry.kind) {
    case 'file':
      // Content bytes vary with the name so duplicate sizes are not duplicate blobs.
      return { header: { ...base, name: entry.name, type: 'file', mode: 0o644 }, content: Buffer.alloc(entry.size, entry.name) };
    case 'dir':
      return { header: { ...base, name: `${entry.name}/`, type: 'directory', mode: 0o755 } };
    case 'symlink':
      return { header: { ...base, name: entry.name, type: 'symlink', linkname: entry.target, mode: 0o777 } };
    case 'hardlink':
      return { header: { ...base, name: entry.name, type: 'link', linkname: entry.target, mode: 0o644 } };
    case 'whiteout': {
      const cut = entry.name.lastIndexOf('/');
      const name = `${entry.name.slice(0, cut + 1)}.wh.${entry.name.slice(cut + 1)}`;
      return { header: { ...base, name, type: 'file', mode: 0o644 }, content: Buffer.alloc(0) };
    }
    case 'opaque':
      return { header: { ...base, name: entry.dir ? `${entry.dir}/.wh..wh..opq` : '.wh..wh..opq', type: 'file', mode: 0o644 }, content: Buffer.alloc(0) };
  }
}

export async function packLayer(entries: Entry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const out = collect(pack as AsyncIterable<Buffer>);
  for (const entry of entries) {
    const { header: h, content } = header(entry);
    await add(pack, h, content);
  }
  pack.finalize();
  return out;
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function add(pack: Pack, h: EntryHeader, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (content === undefined) pack.entry(h, done);
    else pack.entry(h, content, done);
  });
}

export interface WrittenLayer {
  path: string;
  /** The uncompressed tar's sha256, as a config's diff_id. */
  diffId: string;
  /** sha256 of the stored bytes. */
  digest: string;
}

/** Writes each layer as `layer-<i>.tar` (or `.tar.gz` when `gzip(i)`) in `dir`. */
export async function writeLayers(dir: string, layers: Entry[][], gzip: (index: number) => boolean = () => false): Promise<WrittenLayer[]> {
  const written: WrittenLayer[] = [];
  for (const [i, entries] of layers.entries()) {
    const tar = await packLayer(entries);
    const stored = gzip(i) ? gzipSync(tar) : tar;
    const path = join(dir, gzip(i) ? `layer-${i}.tar.gz` : `layer-${i}.tar`);
    await writeFile(path, stored);
    written.push({ path, diffId: sha256(tar), digest: sha256(stored) });
  }
  return written;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An image source over layer files on disk, as an archive or registry source would present them. */
export function sourceOf(layers: WrittenLayer[]): ImageSource {
  return {
    kind: 'oci-layout',
    reference: 'efficiency-test',
    repoTags: [],
    repoDigests: [],
    configDigest: 'sha256:' + '0'.repeat(64),
    config: { rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } },
    layers: layers.map((l) => ({ digest: l.digest, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar' })),
    openLayer: async (index) => createReadStream(layers[index]!.path),
    close: async () => {},
  };
}

export { seededRandom as seeded } from '../../support/osv-generate.js';

const NAMES = ['a', 'b', 'c'];

/**
 * A random image over a small namespace (so paths collide often): files, directories, symlinks,
 * same-layer hard links, whiteouts and opaque markers, over 1 to 5 layers.
 */
export function randomImage(random: () => number): Entry[][] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const randomPath = (): string => {
    const depth = 1 + Math.floor(random() * 3);
    return Array.from({ length: depth }, () => pick(NAMES)).join('/');
  };
  const layers: Entry[][] = [];
  const count = 1 + Math.floor(random() * 5);
  for (let l = 0; l < count; l++) {
    const entries: Entry[] = [];
    const filesThisLayer: string[] = [];
    const n = 1 + Math.floor(random() * 8);
    for (let i = 0; i < n; i++) {
      const r = random();
      const path = randomPath();
      if (r < 0.4) {
        entries.push(file(path, Math.floor(random() * 5000)));
        filesThisLayer.push(path);
      } else if (r < 0.5) entries.push(dir(path));
      else if (r < 0.57) entries.push(symlink(path, pick(NAMES)));
      else if (r < 0.7 && filesThisLayer.length > 0) {
        // Links to links too: the content is still the first file's.
        entries.push(hardlink(path, pick(filesThisLayer)));
        filesThisLayer.push(path);
      }
      else if (r < 0.88) entries.push(whiteout(path));
      else entries.push(opaque(random() < 0.15 ? '' : path.split('/').slice(0, -1).join('/') || pick(NAMES)));
    }
    layers.push(entries);
  }
  return layers;
}

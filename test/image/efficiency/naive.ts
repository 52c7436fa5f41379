/**
 * The efficiency numbers computed directly from the layer tars, independently of src/: every path of
 * the merged filesystem in one flat map, overlay rules applied with plain string-prefix scans. Slow
 * (quadratic in places) and obviously right is the point.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import type { Header } from 'tar-stream';
import type { DirectorySize, EfficiencyReport, LayerEfficiency, WastedPath } from '../../../src/image/efficiency/report.js';

interface Item {
  type: 'dir' | 'file' | 'hardlink' | 'other';
  layer: number;
  /** Index into versions, for a file or a hard link that shares a same-layer file. */
  version?: number;
}

interface Version {
  path: string;
  layer: number;
  size: number;
  /** Own path first, then the same-layer hard links to it, in tar order. */
  holders: string[];
}

async function headersOf(tarPath: string): Promise<Header[]> {
  let bytes = await readFile(tarPath);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const headers: Header[] = [];
  const extract = tarStream.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      headers.push(header);
      body.on('end', () => next()).resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(bytes);
  await done;
  return headers;
}

function clean(name: string): string {
  return name
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' ? path !== '' : path.startsWith(`${dir}/`);
}

function removeWithDescendants(fs: Map<string, Item>, path: string): void {
  for (const key of [...fs.keys()]) if (key === path || isUnder(key, path)) fs.delete(key);
}

function hasContentFrom(fs: Map<string, Item>, path: string, layer: number): boolean {
  for (const [key, item] of fs) if ((key === path || isUnder(key, path)) && item.layer >= layer) return true;
  return false;
}

export async function naiveEfficiency(tarPaths: string[]): Promise<EfficiencyReport> {
  const fs = new Map<string, Item>();
  const versions: Version[] = [];
  for (const [layer, tarPath] of tarPaths.entries()) {
    const whiteouts: string[] = [];
    const opaques: string[] = [];
    const sameLayer = new Map<string, number>();
    for (const h of await headersOf(tarPath)) {
      const path = clean(h.name);
      if (path === '') continue;
      const cut = path.lastIndexOf('/');
      const parent = cut < 0 ? '' : path.slice(0, cut);
      const base = path.slice(cut + 1);
      if (base === '.wh..wh..opq') {
        opaques.push(parent);
        continue;
      }
      if (base.startsWith('.wh.')) {
        if (!base.startsWith('.wh..wh.')) whiteouts.push(parent ? `${parent}/${base.slice(4)}` : base.slice(4));
        continue;
      }
      const type: Item['type'] =
        h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'link' ? 'hardlink' : h.type === 'directory' ? 'dir' : 'other';
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) {
        const ancestor = segments.slice(0, i).join('/');
        const item = fs.get(ancestor);
        if (item?.type === 'dir') continue;
        if (item) removeWithDescendants(fs, ancestor);
        fs.set(ancestor, { type: 'dir', layer });
      }
      const existing = fs.get(path);
      if (existing?.type === 'dir' && type === 'dir') {
        existing.layer = layer;
        continue;
      }
      if (existing?.type === 'dir') removeWithDescendants(fs, path);
      else fs.delete(path);
      const item: Item = { type, layer };
      if (type === 'file') {
        item.version = versions.push({ path: `/${path}`, layer, size: h.size ?? 0, holders: [path] }) - 1;
        sameLayer.set(path, item.version);
      } else if (type === 'hardlink' && sameLayer.has(clean(h.linkname ?? ''))) {
        item.version = sameLayer.get(clean(h.linkname ?? ''))!;
        versions[item.version]!.holders.push(path);
        sameLayer.set(path, item.version);
      } else {
        sameLayer.delete(path);
      }
      fs.set(path, item);
    }
    for (const dir of opaques) {
      if (dir !== '' && fs.get(dir)?.type !== 'dir') continue;
      for (const key of [...fs.keys()]) {
        if (isUnder(key, dir) && !hasContentFrom(fs, key, layer)) fs.delete(key);
      }
    }
    for (const path of whiteouts) {
      if (fs.has(path) && !hasContentFrom(fs, path, layer)) removeWithDescendants(fs, path);
    }
  }

  const layers: LayerEfficiency[] = tarPaths.map((_, index) => ({ index, addedBytes: 0, addedFiles: 0, wastedBytes: 0, wastedFiles: 0 }));
  const perPath = new Map<string, WastedPath>();
  const dirs = new Map<string, DirectorySize>();
  let totalBytes = 0;
  let finalBytes = 0;
  versions.forEach((v, id) => {
    const layer = layers[v.layer]!;
    layer.addedBytes += v.size;
    layer.addedFiles += 1;
    totalBytes += v.size;
    const entry = perPath.get(v.path) ?? { path: v.path, wastedBytes: 0, layers: [], removed: true };
    perPath.set(v.path, entry);
    if (!entry.layers.includes(v.layer)) entry.layers.push(v.layer);
    const shownAt = v.holders.find((h) => fs.get(h)?.version === id);
    if (shownAt === undefined) {
      layer.wastedBytes += v.size;
      layer.wastedFiles += 1;
      entry.wastedBytes += v.size;
      return;
    }
    entry.removed = false;
    finalBytes += v.size;
    const segments = shownAt.split('/');
    for (let i = 1; i < segments.length; i++) {
      const path = `/${segments.slice(0, i).join('/')}`;
      const d = dirs.get(path) ?? { path, bytes: 0, files: 0 };
      d.bytes += v.size;
      d.files += 1;
      dirs.set(path, d);
    }
  });
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    totalBytes,
    finalBytes,
    wastedBytes: totalBytes - finalBytes,
    efficiency: totalBytes === 0 ? 1 : finalBytes / totalBytes,
    layers,
    wastedPaths: [...perPath.values()].filter((p) => p.wastedBytes > 0).sort((a, b) => b.wastedBytes - a.wastedBytes || byPath(a, b)),
    largestDirs: [...dirs.values()].sort((a, b) => b.bytes - a.bytes || byPath(a, b)),
  };
}

/** Sum of regular-file sizes in a list of final-image entries: what the final filesystem holds. */
export function sumOfFiles(entries: Iterable<{ type: string; size: number }>): number {
  let sum = 0;
  for (const e of entries) if (e.type === 'file') sum += e.size;
  return sum;
}

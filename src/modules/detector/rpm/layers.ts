import type { LayerRef } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import type { RpmdbFormat } from './blob.js';
import { readRpmdbBlobs } from './read-db.js';
import { parseRecords } from './records.js';
import { rpmVersion } from './to-package.js';
import type { RpmRecord } from './record.js';

export function recordKey(r: RpmRecord): string {
  return `${r.name}\0${rpmVersion(r)}\0${r.arch ?? ''}`;
}

/**
 * The layer that installed each package: the earliest layer L such that every captured version of the
 * database from L to the last holds the package at the same version. Older versions that cannot be
 * parsed end the run, so a package is never attributed earlier than the evidence shows.
 */
export function installLayers(
  fs: FileSystemView,
  dbPath: string,
  format: RpmdbFormat,
  finalKeys: readonly string[],
): Map<string, LayerRef> {
  const layerOf = new Map<string, number>();
  const alive = new Set(finalKeys);
  const history = fs.history(dbPath);
  for (let i = history.length - 1; i >= 0 && alive.size > 0; i--) {
    const version = history[i];
    if (!version?.content) break;
    const present = keysOf(version.content, dbPath, format);
    for (const key of alive) {
      if (present.has(key)) layerOf.set(key, version.layer);
      else alive.delete(key);
    }
  }
  if (history.length === 0) {
    const layer = fs.stat(dbPath, { follow: true })?.layer;
    if (layer !== undefined) for (const key of finalKeys) layerOf.set(key, layer);
  }
  return toRefs(fs, layerOf);
}

function keysOf(content: Buffer, dbPath: string, format: RpmdbFormat): Set<string> {
  try {
    return new Set(parseRecords(readRpmdbBlobs(content, dbPath, format), dbPath).records.map(recordKey));
  } catch {
    return new Set();
  }
}

function toRefs(fs: FileSystemView, layerOf: Map<string, number>): Map<string, LayerRef> {
  const refs = new Map<string, LayerRef>();
  for (const [key, index] of layerOf) {
    const info = fs.layers[index];
    if (!info) continue;
    const ref: LayerRef = { index, diffId: info.diffId };
    if (info.createdBy !== undefined) ref.createdBy = info.createdBy;
    refs.set(key, ref);
  }
  return refs;
}

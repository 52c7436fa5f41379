import type { LayerRef } from '../../core/package.js';
import type { FileSystemView, FileVersion } from '../../image/types.js';

export function layerRef(fs: FileSystemView, index: number): LayerRef {
  const layer = fs.layers[index];
  const ref: LayerRef = { index, diffId: layer?.diffId ?? '' };
  if (layer?.createdBy) ref.createdBy = layer.createdBy;
  return ref;
}

/**
 * For each package key (name@version) in the final database, the earliest layer from which every later
 * version of the database still holds it: the layer that installed the version the image has now.
 */
export function attributeLayers(history: FileVersion[], keysOf: (content: Buffer) => Set<string>): Map<string, number> {
  const result = new Map<string, number>();
  const sets = history.map((v) => ({ layer: v.layer, keys: v.content ? keysOf(v.content) : new Set<string>() }));
  const final = sets[sets.length - 1];
  if (!final) return result;
  for (const key of final.keys) {
    let layer = final.layer;
    for (let i = sets.length - 2; i >= 0 && sets[i]!.keys.has(key); i--) layer = sets[i]!.layer;
    result.set(key, layer);
  }
  return result;
}

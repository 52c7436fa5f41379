import { ruleFinding } from '../rule-finding.js';
import type { LayerRef } from '../../../core/package.js';
import type { ImageCheckContext, ImageRuleInput, ImageRuleOptions } from './types.js';

export function layerOf(input: ImageRuleInput, index: number | undefined): LayerRef | undefined {
  if (index === undefined || index < 0) return undefined;
  const layer = input.fs.layers[index];
  if (!layer) return undefined;
  const ref: LayerRef = { index, diffId: layer.diffId };
  if (layer.createdBy) ref.createdBy = layer.createdBy;
  return ref;
}

export function makeContext(input: ImageRuleInput, options: ImageRuleOptions): ImageCheckContext {
  return {
    options,
    layer: (index) => layerOf(input, index),
    finding(meta, place, message) {
      const location: { path?: string; resource?: string; layer?: LayerRef } = {};
      if (place.path !== undefined) location.path = place.path;
      if (place.resource !== undefined) location.resource = place.resource;
      if (place.layer) location.layer = place.layer;
      return ruleFinding(meta, { stackLayer: 'image', target: input.target, location, description: message, about: [place.path ?? place.resource ?? '', place.subject ?? ''] });
    },
  };
}

import { findingFingerprint } from '../../../core/finding.js';
import type { LayerRef } from '../../../core/package.js';
import type { ImageCheckContext, ImageRuleInput, ImageRuleOptions } from './types.js';

/** sha256 over what a finding is about, so that two scans of one image diff cleanly. */
export function fingerprintOf(kind: string, id: string, target: string, where: string, subject: string): string {
  return findingFingerprint(kind, id, target, where, subject);
}

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
      return {
        id: meta.id,
        kind: 'misconfiguration',
        severity: meta.severity,
        stackLayer: 'image',
        target: input.target,
        location,
        title: meta.title,
        description: message,
        aliases: [...meta.aliases].sort(),
        references: [...meta.references],
        remediation: meta.remediation,
        fingerprint: fingerprintOf('misconfiguration', meta.id, input.target, place.path ?? place.resource ?? '', place.subject ?? ''),
      };
    },
  };
}

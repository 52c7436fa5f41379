import type { ImageArtifact } from '../core/scan-result.js';

/**
 * Every name the scanned image answers to, for matching VEX products to it: the reference given, its name,
 * its tags, its repo digests, the manifest digest and the image ID (config digest).
 */
export function targetNamesOf(artifact: ImageArtifact): string[] {
  const names = [
    artifact.reference,
    artifact.name,
    ...artifact.repoTags,
    ...artifact.repoDigests,
    artifact.manifestDigest,
    artifact.configDigest,
  ];
  return [...new Set(names.filter((n): n is string => !!n?.trim()))];
}

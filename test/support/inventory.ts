import type { ImageScanResult } from '../../src/core/scan-result.js';

/**
 * What must not depend on where an image was read from: OS, layers and every package field. The
 * config digest is left out: converting to OCI (skopeo) re-serializes the config.
 */
export function inventoryOf(result: ImageScanResult): unknown {
  return {
    os: result.os,
    diffIds: result.artifact.layers.map((l) => l.diffId),
    layerSizes: result.artifact.layers.map((l) => l.size),
    packages: result.packages,
  };
}

import type { ImageScanResult } from '../../core/scan-result.js';
import { scanImage, type ImageScanOptions } from '../../scan/image-scan.js';
import { openRegistryImage } from '../../sources/registry/image.js';
import type { SourceOptions } from '../../sources/types.js';
import type { ScanOneContext } from './scan-registry.js';

export interface RegistryImageScannerOptions {
  /** Source options for every image; layerCache comes from the scan context. */
  source: Omit<SourceOptions, 'layerCache'>;
  /** Inventory and image-rule options, as `bulwark image` passes them to scanImage. */
  scan?: ImageScanOptions;
  /** Runs on each inventory result before it is summarized (e.g. vulnerability matching). */
  enrich?: (result: ImageScanResult) => Promise<ImageScanResult>;
}

/** A `scanOne` for scanRegistry: openRegistryImage (through the run's layer cache) + scanImage, like `bulwark image`. */
export function registryImageScanner(options: RegistryImageScannerOptions): (reference: string, context: ScanOneContext) => Promise<ImageScanResult> {
  return async (reference, context) => {
    const source = await openRegistryImage(reference, { ...options.source, ...(context.layerCache ? { layerCache: context.layerCache } : {}) });
    try {
      const result = await scanImage(source, options.scan);
      return options.enrich ? await options.enrich(result) : result;
    } finally {
      await source.close();
    }
  };
}

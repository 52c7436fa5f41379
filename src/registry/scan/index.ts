export { LayerCache, type LayerCacheOptions, type LayerCacheStats } from './layer-cache.js';
export { selectImages, type ImageSelection } from './select.js';
export {
  readScanState,
  scanRegistry,
  summarize,
  STATE_VERSION,
  type ImageStatus,
  type ImageSummary,
  type ScanOneContext,
  type ScanProgress,
  type ScanRegistryOptions,
  type ScanRegistryResult,
  type ScanState,
  type ScanStateEntry,
} from './scan-registry.js';
export { registryImageScanner, type RegistryImageScannerOptions } from './scan-one.js';

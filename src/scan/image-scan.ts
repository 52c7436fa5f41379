import { comparePackages } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import type { SizeLimits } from '../image/limits.js';
import { buildView } from '../image/walker.js';
import type { DetectorModule } from '../modules/detector/types.js';
import type { ImageSource } from '../sources/types.js';
import { allDetectors, contentOptionsFor, runDetectors } from './run-detectors.js';

export interface ImageScanOptions {
  limits?: SizeLimits;
  onProgress?: (layerIndex: number, storedBytes: number) => void;
  detectors?: DetectorModule[];
}

/** source -> view -> detectors -> result: the inventory of one image. */
export async function scanImage(source: ImageSource, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const detectors = options.detectors ?? allDetectors();
  const view = await buildView(source, { ...contentOptionsFor(detectors), limits: options.limits, onProgress: options.onProgress });
  const { os, packages, notices } = await runDetectors(view, 'image', detectors);
  const { config } = source;
  const result: ImageScanResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: {
      reference: source.reference,
      source: source.kind,
      repoTags: [...source.repoTags].sort(),
      repoDigests: [...source.repoDigests].sort(),
      configDigest: source.configDigest,
      layers: [...view.layers],
    },
    packages: packages.sort(comparePackages),
    notices,
    scanners: [],
    findings: [],
  };
  const artifact = result.artifact;
  if (source.name) artifact.name = source.name;
  if (source.manifestDigest) artifact.manifestDigest = source.manifestDigest;
  if (config.os) artifact.os = config.os;
  if (config.architecture) artifact.architecture = config.architecture;
  if (config.variant) artifact.variant = config.variant;
  if (config.created) artifact.created = config.created;
  if (config.config?.User !== undefined) artifact.user = config.config.User;
  if (os) result.os = os;
  return result;
}

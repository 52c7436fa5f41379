import { comparePackages, type Notice, type OsInfo, type Package } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import type { SizeLimits } from '../image/limits.js';
import { buildView } from '../image/walker.js';
import { detectorsOfKind } from '../modules/detector/api.js';
import type { DetectorModule } from '../modules/detector/types.js';
import type { ImageSource } from '../sources/types.js';

export interface ImageScanOptions {
  limits?: SizeLimits;
  onProgress?: (layerIndex: number, storedBytes: number) => void;
  detectors?: DetectorModule[];
}

/** source -> view -> detectors -> result: the inventory of one image. */
export async function scanImage(source: ImageSource, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const osDetectors = options.detectors?.filter((d) => d.kind === 'os') ?? detectorsOfKind('os');
  const packageDetectors = options.detectors?.filter((d) => d.kind === 'os-packages') ?? detectorsOfKind('os-packages');
  const all = [...osDetectors, ...packageDetectors];
  const view = await buildView(source, {
    wants: (path) => all.some((d) => d.wants(path)),
    limits: options.limits,
    onProgress: options.onProgress,
  });
  let os: OsInfo | undefined;
  const notices: Notice[] = [];
  for (const detector of osDetectors) {
    const result = await detector.detect({ fs: view });
    os ??= result.os;
    notices.push(...(result.notices ?? []));
  }
  const packages: Package[] = [];
  for (const detector of packageDetectors) {
    const result = await detector.detect({ fs: view, os });
    packages.push(...(result.packages ?? []));
    notices.push(...(result.notices ?? []));
  }
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

import { comparePackages } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import type { SizeLimits } from '../image/limits.js';
import { buildView } from '../image/walker.js';
import type { DetectorModule } from '../modules/detector/types.js';
import type { ImageSource } from '../sources/types.js';
import { allDetectors, contentOptionsFor, runDetectors } from './run-detectors.js';
import { layersWithSecretCommands } from './secret-scan.js';
import type { LayerInfo } from '../image/types.js';
import { checkScanners, checkWalk, joinContent, runImageChecks, type CheckOptions } from './checks.js';

export interface ImageScanOptions {
  limits?: SizeLimits;
  onProgress?: (layerIndex: number, storedBytes: number) => void;
  detectors?: DetectorModule[];
  /** The misconfig and secret scanners, which read the image during the same walk. */
  checks?: CheckOptions;
}

/** Shown instead of a layer's command that holds a secret, wherever the layer is named (layer list, findings, packages). */
export const HIDDEN_COMMAND = '[command hidden by bulwark: it holds a secret, see the secret findings]';

function hideSecretCommands(layers: readonly LayerInfo[], indexes: ReadonlySet<number>): void {
  for (const i of indexes) {
    const layer = layers[i];
    if (layer?.createdBy !== undefined) (layer as LayerInfo).createdBy = HIDDEN_COMMAND;
  }
}

/** source -> view -> detectors -> result: the inventory of one image. */
export async function scanImage(source: ImageSource, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const detectors = options.detectors ?? allDetectors();
  const checks = options.checks ?? {};
  const walk = checkWalk(checks, source.reference, true);
  const view = await buildView(source, {
    ...joinContent(contentOptionsFor(detectors), walk),
    ...(walk.observer ? { observer: walk.observer } : {}),
    limits: options.limits,
    onProgress: options.onProgress,
  });
  const { config } = source;
  const secretCommandLayers = checks.secret ? layersWithSecretCommands(config, checks.secret) : undefined;
  if (secretCommandLayers) hideSecretCommands(view.layers, secretCommandLayers);
  const { os, packages, notices } = await runDetectors(view, 'image', detectors);
  const checked = runImageChecks(checks, walk, {
    target: source.reference,
    repoTags: source.repoTags,
    config,
    view,
    ...(os ? { os } : {}),
    packages,
    ...(secretCommandLayers ? { secretCommandLayers } : {}),
  });
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
    notices: [...notices, ...checked.notices],
    scanners: checkScanners(checks),
    findings: checked.findings,
    ...(checked.lean ? { lean: checked.lean } : {}),
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

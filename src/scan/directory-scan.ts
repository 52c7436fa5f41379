import { resolve } from 'node:path';
import { comparePackages } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import { buildDirectoryView } from '../image/directory-view.js';
import type { SizeLimits } from '../image/limits.js';
import type { DetectorModule } from '../modules/detector/types.js';
import { allDetectors, contentOptionsFor, runDetectors } from './run-detectors.js';

export interface DirectoryScanOptions {
  limits?: SizeLimits;
  detectors?: DetectorModule[];
}

/** A directory or mounted root filesystem, inventoried with the same detectors as an image; lockfiles count here. */
export async function scanDirectory(root: string, options: DirectoryScanOptions = {}): Promise<ImageScanResult> {
  const detectors = options.detectors ?? allDetectors();
  const path = resolve(root);
  const view = await buildDirectoryView(path, { ...contentOptionsFor(detectors), limits: options.limits });
  const { os, packages, notices } = await runDetectors(view, 'directory', detectors);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    // A directory has no layers: nothing to attribute packages to.
    artifact: { reference: path, source: 'directory', repoTags: [], repoDigests: [], layers: [] },
    ...(os ? { os } : {}),
    packages: packages.map(({ layer: _layer, ...rest }) => rest).sort(comparePackages),
    notices,
    scanners: [],
    findings: [],
  };
}

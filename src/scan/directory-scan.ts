import { resolve } from 'node:path';
import { comparePackages } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import { buildDirectoryView } from '../image/directory-view.js';
import type { SizeLimits } from '../image/limits.js';
import type { DetectorModule } from '../modules/detector/types.js';
import { checkScanners, joinContent, type CheckOptions } from './checks.js';
import { dockerfileWants, lintDockerfilesIn } from './dockerfiles.js';
import { allDetectors, contentOptionsFor, runDetectors } from './run-detectors.js';
import { collectSecretFindings, secretInspectors } from './secret-scan.js';

export interface DirectoryScanOptions {
  limits?: SizeLimits;
  detectors?: DetectorModule[];
  /** misconfig lints the Dockerfiles found; secret reads every file. */
  checks?: CheckOptions;
}

/** A directory or mounted root filesystem, inventoried with the same detectors as an image; lockfiles count here. */
export async function scanDirectory(root: string, options: DirectoryScanOptions = {}): Promise<ImageScanResult> {
  const detectors = options.detectors ?? allDetectors();
  const checks = options.checks ?? {};
  const path = resolve(root);
  const content = contentOptionsFor(detectors);
  const secrets = checks.secret ? secretInspectors({ ...checks.secret, target: path }) : undefined;
  const view = await buildDirectoryView(path, {
    ...joinContent(content, { wants: checks.misconfig ? dockerfileWants : () => false, inspectors: secrets ?? (() => []) }),
    limits: options.limits,
  });
  const { os, packages, notices } = await runDetectors(view, 'directory', detectors);
  const findings = [];
  if (checks.misconfig) {
    const linted = lintDockerfilesIn(view, path);
    findings.push(...linted.findings);
    notices.push(...linted.notices);
  }
  if (checks.secret) {
    const found = collectSecretFindings(view, undefined, path, checks.secret);
    // A directory has no layers: the findings point at files only.
    findings.push(...found.findings.map(({ location: { layer: _layer, ...location }, ...rest }) => ({ ...rest, location })));
    notices.push(...found.notices);
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    // A directory has no layers: nothing to attribute packages to.
    artifact: { reference: path, source: 'directory', repoTags: [], repoDigests: [], layers: [] },
    ...(os ? { os } : {}),
    packages: packages.map(({ layer: _layer, ...rest }) => rest).sort(comparePackages),
    notices,
    scanners: checkScanners(checks),
    findings,
  };
}

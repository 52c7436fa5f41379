import { apkDetector } from './apk/index.js';
import { dpkgDetector } from './dpkg/index.js';
import { osReleaseDetector } from './os-release/index.js';
import { rpmDetector } from './rpm/index.js';
import type { DetectorModule } from './types.js';

/** Every detector, registered explicitly (no import side effects); keyed by id. */
const modules: DetectorModule[] = [osReleaseDetector, dpkgDetector, apkDetector, rpmDetector];

export const detectors: ReadonlyMap<string, DetectorModule> = new Map(modules.map((m) => [m.id, m]));

export function detectorsOfKind(kind: DetectorModule['kind']): DetectorModule[] {
  return [...detectors.values()].filter((m) => m.kind === kind);
}

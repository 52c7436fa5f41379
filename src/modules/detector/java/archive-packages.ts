import type { Notice, Package } from '../../../core/package.js';
import { layerRef } from '../layer-attribution.js';
import type { DetectContext } from '../types.js';
import type { ArchiveFindings } from './archive.js';
import { mavenPackage } from './to-package.js';

const DETECTOR = 'java';

/** "/app.war" + ["WEB-INF/lib/a.jar"] -> "/app.war!/WEB-INF/lib/a.jar". */
export function nestedLocation(path: string, inner: string[]): string {
  return [path, ...inner].join('!/');
}

function isFindings(value: unknown): value is ArchiveFindings {
  const v = value as Partial<ArchiveFindings> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.artifacts) && Array.isArray(v.warnings);
}

/** Packages and warnings from the archives inspected during the walk. */
export function archivePackages(ctx: DetectContext, packages: Package[], notices: Notice[]): void {
  for (const inspection of ctx.inspections) {
    if (!isFindings(inspection.value)) continue;
    const seen = new Set<string>();
    for (const artifact of inspection.value.artifacts) {
      const location = nestedLocation(inspection.path, artifact.inner);
      const pkg = mavenPackage(artifact, location, 'installed');
      if (seen.has(`${location} ${pkg.purl}`)) continue;
      seen.add(`${location} ${pkg.purl}`);
      pkg.layer = layerRef(ctx.fs, inspection.layer);
      packages.push(pkg);
      if (artifact.source !== 'pom.properties') {
        const guess = artifact.groupId ? '' : '; no group known, the artifact name stands in for it in the purl';
        notices.push({ level: 'info', detector: DETECTOR, message: `${location}: ${pkg.name}@${pkg.version} identified from its ${artifact.source} (no pom.properties)${guess}` });
      }
    }
    for (const warning of inspection.value.warnings) {
      notices.push({ level: 'warning', detector: DETECTOR, message: `${nestedLocation(inspection.path, warning.inner)}: ${warning.message}` });
    }
  }
}

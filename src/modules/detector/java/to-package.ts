import { PackageURL } from 'packageurl-js';
import type { Package, PackageEvidence } from '../../../core/package.js';
import type { Coordinates } from './manifest.js';

/**
 * A Maven package. name is "group:artifact" (the coordinates Maven, OSV and GHSA use), or the bare
 * artifact when no group is known (file-name evidence); the purl spec requires a namespace, so then
 * the artifact stands in for the group as syft does.
 */
export function mavenPackage(c: Coordinates, location: string, evidence: PackageEvidence): Package {
  const namespace = c.groupId ?? c.artifactId;
  return {
    type: 'maven',
    name: c.groupId ? `${c.groupId}:${c.artifactId}` : c.artifactId,
    version: c.version,
    licenses: [],
    purl: new PackageURL('maven', namespace, c.artifactId, c.version, undefined, undefined).toString(),
    location,
    evidence,
  };
}

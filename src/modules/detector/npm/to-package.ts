import { PackageURL } from 'packageurl-js';
import type { Package, PackageEvidence } from '../../../core/package.js';
import { layerRef } from '../layer-attribution.js';
import type { FileSystemView } from '../../../image/types.js';

export type NpmScope = NonNullable<Package['scope']>;

/** What a source said about one package, before it becomes a Package. */
export interface NpmEntry {
  name: string;
  version: string;
  licenses?: string[];
  scope?: NpmScope | undefined;
}

/** pkg:npm/%40scope/name@1.2.3: the scope is the purl namespace, '@' percent-encoded. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  return new PackageURL('npm', namespace, bare, version, undefined, undefined).toString();
}

/** A valid npm package name (scoped or not), as far as a purl needs: no empty parts, no extra slashes. */
export function isPackageName(name: string): boolean {
  return /^(?:@[^/@\s]+\/)?[^/@\s][^/\s]*$/.test(name);
}

export function toPackage(fs: FileSystemView, entry: NpmEntry, location: string, evidence: PackageEvidence): Package {
  const pkg: Package = {
    type: 'npm',
    name: entry.name,
    version: entry.version,
    licenses: entry.licenses ?? [],
    purl: npmPurl(entry.name, entry.version),
    location,
    evidence,
  };
  if (entry.scope) pkg.scope = entry.scope;
  const layer = fs.stat(location)?.layer;
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

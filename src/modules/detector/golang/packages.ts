import { PackageURL } from 'packageurl-js';
import type { LayerRef, Package, PackageEvidence } from '../../../core/package.js';

/**
 * purl of a Go module: the module path's last element is the name, the rest the namespace
 * (pkg:golang/github.com/gorilla/context@v1.1.1). Module versions keep their "v", as Go, syft and
 * the purl spec's example write them. The main module's "(devel)" is no release: left out of the purl.
 */
export function goPurl(path: string, version: string | undefined): string {
  const slash = path.lastIndexOf('/');
  const namespace = slash > 0 ? path.slice(0, slash) : undefined;
  const name = slash > 0 ? path.slice(slash + 1) : path;
  const purlVersion = version && version !== '(devel)' ? version : undefined;
  return new PackageURL('golang', namespace, name, purlVersion, undefined, undefined).toString();
}

/**
 * The Go toolchain's standard library version from the binary's Go version, as trivy and syft
 * report it (pkg:golang/stdlib@1.19.8): "go1.19.8", "go1.21rc2", "go1.22.1 X:boringcrypto" or
 * "go1.26.5 (Red Hat 1.26.5-1.el10)" give the release; development builds ("devel go1.23-abc") none.
 */
export function stdlibVersion(goVersion: string): string | undefined {
  return /^go(\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?)(?:$|[\s-])/.exec(goVersion)?.[1];
}

export interface GoPackageInput {
  path: string;
  version: string;
  location: string;
  evidence: PackageEvidence;
  layer?: LayerRef;
  files?: string[];
  scope?: Package['scope'];
}

export function goPackage(input: GoPackageInput): Package {
  const pkg: Package = {
    type: 'golang',
    name: input.path,
    version: input.version,
    licenses: [],
    purl: input.path === 'stdlib' ? new PackageURL('golang', undefined, 'stdlib', input.version, undefined, undefined).toString() : goPurl(input.path, input.version),
    location: input.location,
    evidence: input.evidence,
  };
  if (input.files) pkg.files = input.files;
  if (input.scope) pkg.scope = input.scope;
  if (input.layer) pkg.layer = input.layer;
  return pkg;
}

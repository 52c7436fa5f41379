import { PackageURL } from 'packageurl-js';
import type { Package } from '../../../core/package.js';
import { manifestDetector } from '../manifest-files.js';
import { parseDepsJson, parsePackagesLock, type NugetEntry } from './parse.js';

const DEPS = /(^|\/)[^/]+\.deps\.json$/;
const LOCKFILE = /(^|\/)packages\.lock\.json$/;

function nugetPackage(entry: NugetEntry, location: string, evidence: Package['evidence']): Package {
  return {
    type: 'nuget',
    name: entry.name,
    version: entry.version,
    licenses: [],
    purl: new PackageURL('nuget', undefined, entry.name, entry.version, undefined, undefined).toString(),
    location,
    evidence,
  };
}

export const dotnetDetector = manifestDetector<NugetEntry>({
  id: 'dotnet',
  installed: { path: DEPS, parse: parseDepsJson },
  lockfile: { path: LOCKFILE, parse: parsePackagesLock },
  toPackage: nugetPackage,
});

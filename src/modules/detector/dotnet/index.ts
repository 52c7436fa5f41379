import { PackageURL } from 'packageurl-js';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import { parseDepsJson, parsePackagesLock, type NugetEntry } from './parse.js';

const ID = 'dotnet';
const DEPS = /(^|\/)[^/]+\.deps\.json$/;
const LOCKFILE = /(^|\/)packages\.lock\.json$/;

function nugetPackage(fs: FileSystemView, location: string, entry: NugetEntry, evidence: Package['evidence']): Package {
  const pkg: Package = {
    type: 'nuget',
    name: entry.name,
    version: entry.version,
    licenses: [],
    purl: new PackageURL('nuget', undefined, entry.name, entry.version, undefined, undefined).toString(),
    location,
    evidence,
  };
  const layer = fs.stat(location)?.layer;
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

export const dotnetDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'language',
  wants: (path) => DEPS.test(path) || LOCKFILE.test(path),
  detect({ fs, target }) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    for (const path of fs.capturedPaths()) {
      const rel = path.slice(1);
      const kind = DEPS.test(rel) ? 'installed' : target === 'directory' && LOCKFILE.test(rel) ? 'lockfile' : undefined;
      if (!kind) continue;
      const text = fs.read(path)!.toString('utf8');
      const entries = kind === 'installed' ? parseDepsJson(text) : parsePackagesLock(text);
      if (typeof entries === 'string') notices.push({ level: 'warning', detector: ID, message: `${path}: ${entries}` });
      else packages.push(...entries.map((entry) => nugetPackage(fs, path, entry, kind)));
    }
    return { packages, notices };
  },
};

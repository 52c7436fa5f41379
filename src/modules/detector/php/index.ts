import { PackageURL } from 'packageurl-js';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import { parseComposerLock, parseInstalledJson, type ComposerEntry } from './parse.js';

const ID = 'php';
/** Composer's record of what it installed, in any vendor directory (its name is configurable). */
const INSTALLED = /(^|\/)composer\/installed\.json$/;
const LOCKFILE = /(^|\/)composer\.lock$/;

function composerPackage(fs: FileSystemView, location: string, entry: ComposerEntry, evidence: Package['evidence']): Package {
  const slash = entry.name.indexOf('/');
  const namespace = slash > 0 ? entry.name.slice(0, slash) : undefined;
  const name = slash > 0 ? entry.name.slice(slash + 1) : entry.name;
  const pkg: Package = {
    type: 'composer',
    name: entry.name,
    version: entry.version,
    licenses: entry.licenses,
    purl: new PackageURL('composer', namespace, name, entry.version, undefined, undefined).toString(),
    location,
    evidence,
    scope: entry.dev ? 'dev' : 'prod',
  };
  const layer = fs.stat(location)?.layer;
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

export const phpDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'language',
  wants: (path) => INSTALLED.test(path) || LOCKFILE.test(path),
  detect({ fs, target }) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    for (const path of fs.capturedPaths()) {
      const rel = path.slice(1);
      const kind = INSTALLED.test(rel) ? 'installed' : target === 'directory' && LOCKFILE.test(rel) ? 'lockfile' : undefined;
      if (!kind) continue;
      const text = fs.read(path)!.toString('utf8');
      const entries = kind === 'installed' ? parseInstalledJson(text) : parseComposerLock(text);
      if (typeof entries === 'string') notices.push({ level: 'warning', detector: ID, message: `${path}: ${entries}` });
      else packages.push(...entries.map((entry) => composerPackage(fs, path, entry, kind)));
    }
    return { packages, notices };
  },
};

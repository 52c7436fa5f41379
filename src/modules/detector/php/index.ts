import { PackageURL } from 'packageurl-js';
import type { Package } from '../../../core/package.js';
import { manifestDetector } from '../manifest-files.js';
import { parseComposerLock, parseInstalledJson, type ComposerEntry } from './parse.js';

/** Composer's record of what it installed, in any vendor directory (its name is configurable). */
const INSTALLED = /(^|\/)composer\/installed\.json$/;
const LOCKFILE = /(^|\/)composer\.lock$/;

function composerPackage(entry: ComposerEntry, location: string, evidence: Package['evidence']): Package {
  const slash = entry.name.indexOf('/');
  const namespace = slash > 0 ? entry.name.slice(0, slash) : undefined;
  const name = slash > 0 ? entry.name.slice(slash + 1) : entry.name;
  return {
    type: 'composer',
    name: entry.name,
    version: entry.version,
    licenses: entry.licenses,
    purl: new PackageURL('composer', namespace, name, entry.version, undefined, undefined).toString(),
    location,
    evidence,
    scope: entry.dev ? 'dev' : 'prod',
  };
}

export const phpDetector = manifestDetector<ComposerEntry>({
  id: 'php',
  installed: { path: INSTALLED, parse: parseInstalledJson },
  lockfile: { path: LOCKFILE, parse: parseComposerLock },
  toPackage: composerPackage,
});

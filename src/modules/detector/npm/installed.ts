import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { declaredLicenses } from './licenses.js';
import { errorMessage, parseJson } from './parse-json.js';
import { isInstalledManifest, lockKeyOf } from './paths.js';
import { packageLockSchema, packageJsonSchema, type LockPackage } from './schema.js';
import { isPackageName, toPackage, type NpmScope } from './to-package.js';

export interface InstalledResult {
  packages: Package[];
  notices: Notice[];
}

/** dev / optional / prod as npm's lockfile flags say; devOptional (needed only by either) counts as dev. */
export function scopeOfLockEntry(entry: LockPackage): NpmScope {
  if (entry.dev || entry.devOptional) return 'dev';
  if (entry.optional) return 'optional';
  return 'prod';
}

/** Every installed package.json under node_modules (and Debian's nodejs folders) in the view. */
export function installedPackages(fs: FileSystemView, detector: string): InstalledResult {
  const packages: Package[] = [];
  const notices: Notice[] = [];
  const hidden = new Map<string, Record<string, LockPackage> | undefined>();
  const hiddenLockfile = (root: string): Record<string, LockPackage> | undefined => {
    if (hidden.has(root)) return hidden.get(root);
    const path = `${root === '/' ? '' : root}/node_modules/.package-lock.json`;
    const content = fs.read(path);
    let entries: Record<string, LockPackage> | undefined;
    if (content) {
      try {
        entries = parseJson(content, packageLockSchema).packages;
      } catch (error) {
        notices.push({ level: 'warning', detector, message: `${path}: ${errorMessage(error)}` });
      }
    }
    hidden.set(root, entries);
    return entries;
  };

  for (const path of fs.capturedPaths()) {
    if (!isInstalledManifest(path)) continue;
    const content = fs.read(path);
    if (!content) continue;
    let manifest;
    try {
      manifest = parseJson(content, packageJsonSchema);
    } catch (error) {
      notices.push({ level: 'warning', detector, message: `${path}: ${errorMessage(error)}` });
      continue;
    }
    const { name, version } = manifest;
    // Not a package root (npm itself skips these): no name or version, or a name no purl can hold.
    if (typeof name !== 'string' || typeof version !== 'string' || !isPackageName(name) || version.trim() === '') continue;
    const where = lockKeyOf(path);
    const lockEntry = where ? hiddenLockfile(where.root)?.[where.key] : undefined;
    const licenses = declaredLicenses(manifest.license, manifest.licenses);
    const scope = lockEntry ? scopeOfLockEntry(lockEntry) : undefined;
    packages.push(toPackage(fs, { name, version: version.trim(), licenses, scope }, path, 'installed'));
  }
  return { packages, notices };
}

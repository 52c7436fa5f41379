import type { OsPackageType, Package } from '../core/package.js';
import type { FileSystemView } from '../image/types.js';

const OS_TYPES = new Set<string>(['deb', 'apk', 'rpm']);

/**
 * Marks language packages whose metadata file an OS package installed (Debian's python3-* dist-info,
 * /usr/share/nodejs, jars in /usr/share/java): vulnerability matching then reports the flaw once,
 * against the OS package, as the distribution patches it there.
 */
export function linkToOsPackages(fs: FileSystemView, languagePackages: Package[], osPackages: Package[]): void {
  const owner = new Map<string, Package>();
  for (const pkg of osPackages) {
    if (!OS_TYPES.has(pkg.type)) continue;
    for (const file of pkg.files ?? []) owner.set(file, pkg);
  }
  if (owner.size === 0) return;
  for (const pkg of languagePackages) {
    const file = pkg.location.split('!/')[0]!;
    const os = owner.get(file) ?? owner.get(realPath(fs, file) ?? file);
    if (os) pkg.osPackage = { type: os.type as OsPackageType, name: os.name, version: os.version };
  }
}

function realPath(fs: FileSystemView, path: string): string | undefined {
  try {
    return fs.stat(path, { follow: true })?.path;
  } catch {
    return undefined;
  }
}

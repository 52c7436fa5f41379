import { scopeOfLockEntry } from './installed.js';
import { parseJson } from './parse-json.js';
import { packageLockSchema, type LockV1Dependency } from './schema.js';
import { isPackageName, type NpmEntry } from './to-package.js';

/** `npm:real-name@1.2.3` (an alias) -> the real package; plain versions pass through. */
export function unalias(name: string, version: string): { name: string; version: string } {
  const m = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
  return m ? { name: m[1]!, version: m[2]! } : { name, version };
}

/** A version a registry package can have (not a file:, link:, git or tarball reference). */
export function isRegistryVersion(version: string): boolean {
  return version !== '' && !/[:/]/.test(version);
}

/**
 * package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`), 2 and 3
 * (flat `packages` keyed by node_modules path; v2 also carries the v1 tree, which is ignored).
 * Workspace sources (keys outside node_modules) and links are the project's own code, not packages.
 */
export function parsePackageLock(content: Buffer): NpmEntry[] {
  const lock = parseJson(content, packageLockSchema);
  const out: NpmEntry[] = [];
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      const at = key.lastIndexOf('node_modules/');
      if (at < 0 || entry.link || entry.version === undefined) continue;
      const { name, version } = unalias(entry.name ?? key.slice(at + 'node_modules/'.length), entry.version);
      if (!isPackageName(name) || !isRegistryVersion(version)) continue;
      out.push({ name, version, scope: scopeOfLockEntry(entry), licenses: typeof entry.license === 'string' ? [entry.license] : [] });
    }
    return out;
  }
  const walk = (deps: Record<string, LockV1Dependency>): void => {
    for (const [key, dep] of Object.entries(deps)) {
      if (dep.version !== undefined) {
        const { name, version } = unalias(key, dep.version);
        if (isPackageName(name) && isRegistryVersion(version)) {
          out.push({ name, version, scope: dep.dev ? 'dev' : dep.optional ? 'optional' : 'prod' });
        }
      }
      if (dep.dependencies) walk(dep.dependencies);
    }
  };
  walk(lock.dependencies ?? {});
  return out;
}

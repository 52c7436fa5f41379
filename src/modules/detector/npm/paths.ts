/**
 * Which files the npm detector reads. Installed packages: `node_modules/<name>/package.json` and
 * `node_modules/@scope/<name>/package.json` at any depth (as syft and trivy do, so a package's own
 * test fixtures are not taken for packages), Debian's `/usr/share/nodejs/<name>/package.json`,
 * `/usr/lib/nodejs/...` and `/usr/lib/<triplet>/nodejs/...`, and npm's hidden lockfile
 * `node_modules/.package-lock.json`. Lockfiles (read for directories only) outside node_modules.
 */
const INSTALLED = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
const DEBIAN = /^usr\/(?:share\/nodejs|lib\/nodejs|lib\/[^/]+\/nodejs)\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
const HIDDEN_LOCKFILE = /(?:^|\/)node_modules\/\.package-lock\.json$/;
export const LOCKFILE_NAMES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'] as const;
export type LockfileName = (typeof LOCKFILE_NAMES)[number];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function isInstalledManifest(path: string): boolean {
  const rel = path.startsWith('/') ? path.slice(1) : path;
  return INSTALLED.test(rel) || DEBIAN.test(rel);
}

export function isHiddenLockfile(path: string): boolean {
  return HIDDEN_LOCKFILE.test(path);
}

/** A project lockfile, or the package.json beside one (which says which direct dependencies are dev). */
export function isProjectFile(path: string): boolean {
  if (/(?:^|\/)node_modules\//.test(path)) return false;
  const base = baseName(path);
  return base === 'package.json' || (LOCKFILE_NAMES as readonly string[]).includes(base);
}

export function wantsNpm(path: string): boolean {
  return isInstalledManifest(path) || isHiddenLockfile(path) || isProjectFile(path);
}

/**
 * For an installed package.json, the project root whose `node_modules/.package-lock.json` describes
 * it and the lockfile key of its folder: /app/node_modules/a/node_modules/@s/b/package.json ->
 * { root: '/app', key: 'node_modules/a/node_modules/@s/b' }.
 */
export function lockKeyOf(manifestPath: string): { root: string; key: string } | undefined {
  const at = manifestPath.indexOf('/node_modules/');
  if (at < 0) return undefined;
  return { root: manifestPath.slice(0, at) || '/', key: manifestPath.slice(at + 1, -'/package.json'.length) };
}

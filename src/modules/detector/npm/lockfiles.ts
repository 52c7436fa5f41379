import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { parsePackageLock } from './package-lock.js';
import { errorMessage } from './parse-json.js';
import { isProjectFile, type LockfileName } from './paths.js';
import { parsePnpmLock } from './pnpm.js';
import { parseProjectManifest, type ProjectManifest } from './project-manifest.js';
import { toPackage, type NpmEntry, type NpmScope } from './to-package.js';
import { parseYarnLock } from './yarn.js';

const RANK: Record<NpmScope, number> = { prod: 0, optional: 1, dev: 2 };

function split(path: string): { dir: string; base: string } {
  const at = path.lastIndexOf('/');
  return { dir: path.slice(0, at) || '/', base: path.slice(at + 1) };
}

/** One entry per name@version; a package needed in several ways keeps the widest scope (prod > optional > dev). */
export function mergeEntries(entries: NpmEntry[]): NpmEntry[] {
  const byKey = new Map<string, NpmEntry>();
  for (const e of entries) {
    const key = `${e.name}@${e.version}`;
    const had = byKey.get(key);
    if (!had) byKey.set(key, { ...e });
    else if (e.scope && (!had.scope || RANK[e.scope] < RANK[had.scope])) had.scope = e.scope;
  }
  return [...byKey.values()];
}

function parseLockfile(base: LockfileName, content: Buffer, manifest: () => ProjectManifest | undefined): NpmEntry[] {
  switch (base) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return parsePackageLock(content);
    case 'yarn.lock':
      return parseYarnLock(content, manifest());
    case 'pnpm-lock.yaml':
      return parsePnpmLock(content);
  }
}

/**
 * Packages of every project lockfile in a scanned directory. Packages the same project has installed
 * (found under its node_modules) are reported once, from node_modules.
 */
export function lockfilePackages(fs: FileSystemView, installed: Package[], detector: string): { packages: Package[]; notices: Notice[] } {
  const packages: Package[] = [];
  const notices: Notice[] = [];
  const captured = fs.capturedPaths();
  const present = new Set(captured);
  for (const path of captured) {
    if (!isProjectFile(path)) continue;
    const { dir, base } = split(path);
    if (base === 'package.json') continue;
    const prefix = dir === '/' ? '' : dir;
    // npm reads npm-shrinkwrap.json instead of package-lock.json when both are there.
    if (base === 'package-lock.json' && present.has(`${prefix}/npm-shrinkwrap.json`)) continue;
    const content = fs.read(path);
    if (!content) continue;
    const manifest = (): ProjectManifest | undefined => {
      const json = fs.read(`${prefix}/package.json`);
      if (!json) return undefined;
      try {
        return parseProjectManifest(json);
      } catch (error) {
        notices.push({ level: 'warning', detector, message: `${prefix}/package.json: ${errorMessage(error)}` });
        return undefined;
      }
    };
    let entries: NpmEntry[];
    try {
      entries = mergeEntries(parseLockfile(base as LockfileName, content, manifest));
    } catch (error) {
      notices.push({ level: 'warning', detector, message: `${path}: ${errorMessage(error)}` });
      continue;
    }
    const modules = `${prefix}/node_modules/`;
    const installedHere = new Set(installed.filter((p) => p.location.startsWith(modules)).map((p) => `${p.name}@${p.version}`));
    for (const entry of entries) {
      if (!installedHere.has(`${entry.name}@${entry.version}`)) packages.push(toPackage(fs, entry, path, 'lockfile'));
    }
  }
  return { packages, notices };
}

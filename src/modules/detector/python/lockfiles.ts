import { posix } from 'node:path';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import { LockfileError, type LockEntry } from './lock-entry.js';
import { parsePipfileLock } from './pipfile-lock.js';
import { parsePoetryLock } from './poetry-lock.js';
import { pypiPurl } from './purl.js';
import { parseRequirements } from './requirements.js';
import { parseUvLock } from './uv-lock.js';
import { DETECTOR_ID } from './installed.js';

type Parser = (text: string) => LockEntry[];

const PARSERS: Readonly<Record<string, Parser>> = {
  'poetry.lock': parsePoetryLock,
  'Pipfile.lock': parsePipfileLock,
  'uv.lock': parseUvLock,
};

/** Lockfiles that installed trees (site-packages, node_modules) carry are others' files, not the project's. */
const VENDORED = /(?:^|\/)(?:site-packages|dist-packages|node_modules|\.git)\//;
const REQUIREMENTS = /(?:^|\/)(?:requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/;

export function wantsLockfile(relativePath: string): boolean {
  if (VENDORED.test(relativePath)) return false;
  return posix.basename(relativePath) in PARSERS || REQUIREMENTS.test(relativePath);
}

export function lockfilePackages(fs: FileSystemView): { packages: Package[]; notices: Notice[] } {
  const packages: Package[] = [];
  const notices: Notice[] = [];
  const warn = (path: string, message: string) => notices.push({ level: 'warning', detector: DETECTOR_ID, message: `${path}: ${message}` });
  const add = (path: string, entries: LockEntry[]) => {
    const layer = fs.stat(path)?.layer;
    for (const e of entries) packages.push(toPackage(e, path, layer === undefined ? undefined : layerRef(fs, layer)));
  };

  const requirementFiles: string[] = [];
  for (const path of fs.capturedPaths()) {
    const relative = path.slice(1);
    if (!wantsLockfile(relative)) continue;
    if (REQUIREMENTS.test(relative)) {
      requirementFiles.push(path);
      continue;
    }
    const parser = PARSERS[posix.basename(path)]!;
    try {
      add(path, parser(fs.read(path)!.toString('utf8')));
    } catch (error) {
      if (!(error instanceof LockfileError)) throw error;
      warn(path, error.message);
    }
  }

  // Each requirements file is read once, those that `-r` pulls in too; a package sits at the file naming it.
  const done = new Set<string>();
  const queue = [...requirementFiles];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (done.has(path)) continue;
    done.add(path);
    const content = fs.read(path);
    if (!content) continue;
    const { entries, includes } = parseRequirements(content.toString('utf8'));
    add(path, entries);
    for (const include of includes) {
      if (/^[a-z]+:\/\//i.test(include)) continue;
      const target = posix.resolve(posix.dirname(path), include);
      if (fs.read(target)) queue.push(target);
      else notices.push({ level: 'info', detector: DETECTOR_ID, message: `${path}: included file ${include} was not read` });
    }
  }
  return { packages, notices };
}

function toPackage(entry: LockEntry, location: string, layer: Package['layer']): Package {
  const pkg: Package = {
    type: 'pypi',
    name: entry.name,
    version: entry.version,
    licenses: [],
    purl: pypiPurl(entry.name, entry.version),
    location,
    evidence: 'lockfile',
  };
  if (entry.scope) pkg.scope = entry.scope;
  if (layer) pkg.layer = layer;
  return pkg;
}

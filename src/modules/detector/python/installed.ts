import { posix } from 'node:path';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import { metadataLicenses, MetadataError, parseCoreMetadata } from './metadata.js';
import { pypiPurl } from './purl.js';
import { filesFromInstalledFiles, filesFromRecord } from './record.js';

export const DETECTOR_ID = 'python';

/** The metadata files of installed distributions (relative paths, as layer tars name them). */
const METADATA = /(?:^|\/)[^/]+\.(?:dist-info\/METADATA|egg-info\/PKG-INFO|egg\/EGG-INFO\/PKG-INFO|egg-info)$/;
/** Their file lists, and top_level.txt for distributions installed without one. */
const COMPANIONS = /(?:^|\/)[^/]+\.(?:dist-info\/RECORD|egg-info\/installed-files\.txt|egg-info\/top_level\.txt|dist-info\/top_level\.txt)$/;

export function wantsInstalled(relativePath: string): boolean {
  return METADATA.test(relativePath) || COMPANIONS.test(relativePath);
}

export function isInstalledMetadata(path: string): boolean {
  return METADATA.test(path);
}

export interface InstalledResult {
  packages: Package[];
  notices: Notice[];
}

/** Every installed distribution whose metadata file was captured. */
export function installedPackages(fs: FileSystemView): InstalledResult {
  const packages: Package[] = [];
  const notices: Notice[] = [];
  for (const path of fs.capturedPaths()) {
    if (!METADATA.test(path)) continue;
    if (path.endsWith('.egg-info') && fs.stat(path)?.type !== 'file') continue;
    const content = fs.read(path);
    if (!content) continue;
    try {
      packages.push(toPackage(fs, path, content));
    } catch (error) {
      if (!(error instanceof MetadataError)) throw error;
      notices.push({ level: 'warning', detector: DETECTOR_ID, message: `${path}: ${error.message}` });
    }
  }
  return { packages, notices };
}

function toPackage(fs: FileSystemView, location: string, content: Buffer): Package {
  const meta = parseCoreMetadata(content);
  const pkg: Package = {
    type: 'pypi',
    name: meta.name,
    version: meta.version,
    licenses: metadataLicenses(meta),
    purl: pypiPurl(meta.name, meta.version),
    location,
    evidence: 'installed',
  };
  const files = installedFiles(fs, location);
  if (files && files.length > 0) pkg.files = files;
  const layer = fs.stat(location)?.layer;
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

/**
 * The files a distribution installed: RECORD (dist-info) or installed-files.txt (egg-info). Debian
 * strips both from its python3-* packages, so then: the metadata directory itself plus the top-level
 * modules top_level.txt names, as they sit in the final filesystem.
 */
function installedFiles(fs: FileSystemView, location: string): string[] | undefined {
  if (location.endsWith('.egg-info')) return [location];
  const metaDir = posix.dirname(location);
  if (metaDir.endsWith('/EGG-INFO')) return underDir(fs, posix.dirname(metaDir));
  const siteDir = posix.dirname(metaDir);
  const record = fs.read(`${metaDir}/RECORD`);
  if (record) return filesFromRecord(record.toString('utf8'), siteDir);
  const installed = fs.read(`${metaDir}/installed-files.txt`);
  if (installed) return filesFromInstalledFiles(installed.toString('utf8'), metaDir);
  const files = underDir(fs, metaDir);
  const topLevel = fs.read(`${metaDir}/top_level.txt`);
  for (const name of topLevel?.toString('utf8').split(/\r?\n/) ?? []) {
    const top = name.trim();
    if (top === '' || top.includes('..') || top.startsWith('/')) continue;
    files.push(...underDir(fs, `${siteDir}/${top}`));
    for (const entry of fs.list(posix.dirname(`${siteDir}/${top}`))) {
      const base = posix.basename(entry.path);
      const module = posix.basename(top);
      if (entry.type !== 'dir' && (base === `${module}.py` || (base.startsWith(`${module}.`) && base.endsWith('.so')))) files.push(entry.path);
    }
  }
  return [...new Set(files)].sort();
}

/** Every non-directory entry below a directory (empty when it is absent or not a directory). */
function underDir(fs: FileSystemView, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.list(d)) {
      if (entry.type === 'dir') walk(entry.path);
      else out.push(entry.path);
    }
  };
  if (fs.stat(dir)?.type === 'dir') walk(dir);
  return out;
}

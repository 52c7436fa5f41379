import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { attributeLayers, layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import { licensesFromCopyright } from './copyright.js';
import { dpkgKey, parseDpkgStatus, type DpkgEntry } from './status.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d';

function wants(path: string): boolean {
  if (path === 'var/lib/dpkg/status') return true;
  if (path.startsWith('var/lib/dpkg/status.d/')) return !path.endsWith('.md5sums');
  if (path.startsWith('var/lib/dpkg/info/')) return path.endsWith('.list');
  return /^usr\/share\/doc\/[^/]+\/copyright$/.test(path);
}

function purl(entry: DpkgEntry, os: OsInfo | undefined): string {
  const namespace = os?.family === 'ubuntu' ? 'ubuntu' : 'debian';
  const qualifiers: Record<string, string> = {};
  if (entry.arch) qualifiers.arch = entry.arch;
  if (os?.version) qualifiers.distro = `${os.family}-${os.version}`;
  return new PackageURL('deb', namespace, entry.name, entry.version, qualifiers, undefined).toString();
}

/** dpkg names a package's file list "<name>.list", or "<name>:<arch>.list" for Multi-Arch: same. */
function ownedFiles(fs: FileSystemView, entry: DpkgEntry): { files?: string[]; listLayer?: number } {
  for (const name of [`${entry.name}:${entry.arch}`, entry.name]) {
    const path = `/var/lib/dpkg/info/${name}.list`;
    const content = fs.read(path);
    if (!content) continue;
    const files = content
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '' && line !== '/.')
      .sort();
    return { files, listLayer: fs.stat(path)?.layer };
  }
  return {};
}

function toPackage(fs: FileSystemView, entry: DpkgEntry, os: OsInfo | undefined, location: string, layerByKey: Map<string, number>): Package {
  const copyright = fs.read(`/usr/share/doc/${entry.name}/copyright`);
  const { files, listLayer } = ownedFiles(fs, entry);
  const pkg: Package = {
    type: 'deb',
    name: entry.name,
    version: entry.version,
    sourceName: entry.sourceName,
    sourceVersion: entry.sourceVersion,
    licenses: copyright ? licensesFromCopyright(copyright.toString('utf8')) : [],
    purl: purl(entry, os),
    location,
  };
  const epoch = /^(\d+):/.exec(entry.version);
  if (epoch) pkg.epoch = Number(epoch[1]);
  if (entry.arch) pkg.arch = entry.arch;
  if (entry.maintainer) pkg.maintainer = entry.maintainer;
  if (files) pkg.files = files;
  // The file list is rewritten on every install or upgrade, so its layer is the installing layer.
  const layer = listLayer ?? layerByKey.get(dpkgKey(entry));
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

function fromStatus(fs: FileSystemView, os: OsInfo | undefined): Package[] {
  const content = fs.read(STATUS);
  if (!content) return [];
  const layers = attributeLayers(fs.history(STATUS), (c) => new Set(parseDpkgStatus(c.toString('utf8')).map(dpkgKey)));
  return parseDpkgStatus(content.toString('utf8')).map((e) => toPackage(fs, e, os, STATUS, layers));
}

/** Distroless images keep one stanza file per package in status.d instead of one status file. */
function fromStatusD(fs: FileSystemView, os: OsInfo | undefined): Package[] {
  const packages: Package[] = [];
  for (const path of fs.capturedPaths()) {
    if (!path.startsWith(`${STATUS_D}/`) || path.endsWith('.md5sums')) continue;
    const layer = fs.stat(path)?.layer;
    for (const entry of parseDpkgStatus(fs.read(path)!.toString('utf8'))) {
      packages.push(toPackage(fs, entry, os, path, new Map(layer === undefined ? [] : [[dpkgKey(entry), layer]])));
    }
  }
  return packages;
}

export const dpkgDetector: DetectorModule = {
  id: 'dpkg',
  version: 1,
  kind: 'os-packages',
  wants,
  detect({ fs, os }) {
    return { packages: [...fromStatus(fs, os), ...fromStatusD(fs, os)] };
  },
};

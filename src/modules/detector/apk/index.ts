import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../../../core/package.js';
import { attributeLayers, layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import { parseApkInstalled, type ApkEntry } from './installed-db.js';

const DB = '/lib/apk/db/installed';

const key = (e: ApkEntry) => `${e.name}@${e.version}`;

function purl(entry: ApkEntry, os: OsInfo | undefined): string {
  const qualifiers: Record<string, string> = {};
  if (entry.arch) qualifiers.arch = entry.arch;
  if (os?.version) qualifiers.distro = os.version;
  return new PackageURL('apk', os?.family ?? 'alpine', entry.name, entry.version, qualifiers, undefined).toString();
}

export const apkDetector: DetectorModule = {
  id: 'apk',
  version: 1,
  kind: 'os-packages',
  wants: (path) => path === 'lib/apk/db/installed',
  detect({ fs, os }) {
    const content = fs.read(DB);
    if (!content) return {};
    const layers = attributeLayers(fs.history(DB), (c) => new Set(parseApkInstalled(c.toString('utf8')).map(key)));
    const packages = parseApkInstalled(content.toString('utf8')).map((entry): Package => {
      const pkg: Package = {
        type: 'apk',
        name: entry.name,
        version: entry.version,
        sourceName: entry.origin ?? entry.name,
        sourceVersion: entry.version,
        licenses: entry.license ? entry.license.split(/\s+(?:AND|OR)\s+|\s+/).filter((l) => l && l !== 'AND' && l !== 'OR') : [],
        purl: purl(entry, os),
        location: DB,
        files: [...entry.files].sort(),
      };
      if (entry.arch) pkg.arch = entry.arch;
      if (entry.maintainer) pkg.maintainer = entry.maintainer;
      const layer = layers.get(key(entry));
      if (layer !== undefined) pkg.layer = layerRef(fs, layer);
      return pkg;
    });
    return { packages };
  },
};

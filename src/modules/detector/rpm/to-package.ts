import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../../../core/package.js';
import { parseSourceRpm, type RpmRecord } from './record.js';

/** os-release IDs whose purl namespace (the distribution vendor) is spelled differently. */
const NAMESPACE_BY_OS: Record<string, string> = {
  rhel: 'redhat',
  ol: 'oracle',
  amzn: 'amazon',
  sles: 'suse',
  'sle-micro': 'suse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-microos': 'opensuse',
};

export function rpmVersion(record: Pick<RpmRecord, 'epoch' | 'version' | 'release'>): string {
  const evr = `${record.version}-${record.release}`;
  return record.epoch === undefined ? evr : `${record.epoch}:${evr}`;
}

export function toPackage(record: RpmRecord, location: string, os: OsInfo | undefined): Package {
  const pkg: Package = {
    type: 'rpm',
    name: record.name,
    version: rpmVersion(record),
    release: record.release,
    licenses: record.license ? [record.license] : [],
    purl: rpmPurl(record, os),
    files: record.files,
    location,
  };
  if (record.epoch !== undefined) pkg.epoch = record.epoch;
  if (record.arch) pkg.arch = record.arch;
  if (record.vendor) pkg.vendor = record.vendor;
  const source = record.sourceRpm ? parseSourceRpm(record.sourceRpm) : undefined;
  if (source) {
    pkg.sourceName = source.name;
    pkg.sourceVersion = source.version;
  }
  return pkg;
}

/** pkg:rpm/<vendor>/<name>@<version>-<release>?arch=..&epoch=..&distro=<id>-<version_id> */
export function rpmPurl(record: RpmRecord, os: OsInfo | undefined): string {
  const qualifiers: Record<string, string> = {};
  if (record.arch) qualifiers.arch = record.arch;
  if (record.epoch !== undefined) qualifiers.epoch = String(record.epoch);
  if (os) qualifiers.distro = os.version ? `${os.family}-${os.version}` : os.family;
  const namespace = os ? (NAMESPACE_BY_OS[os.family] ?? os.family) : undefined;
  return new PackageURL('rpm', namespace, record.name, `${record.version}-${record.release}`, qualifiers).toString();
}

/** One installed package, whatever ecosystem found it. */
export type OsPackageType = 'deb' | 'apk' | 'rpm';
/** Language ecosystems, named as their purl types are. */
export type LanguagePackageType = 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'composer' | 'cargo' | 'nuget';
export type PackageType = OsPackageType | LanguagePackageType;

/** What a language package was read from: installed metadata, a lockfile, or data embedded in a binary. */
export type PackageEvidence = 'installed' | 'lockfile' | 'binary';

export interface LayerRef {
  index: number;
  diffId: string;
  createdBy?: string;
}

export interface Package {
  type: PackageType;
  name: string;
  /** Full version as the ecosystem writes it: dpkg "1:2.3-4", rpm "1:2.3-4.el9" (epoch only when set), apk "1.2-r0". */
  version: string;
  epoch?: number;
  release?: string;
  arch?: string;
  sourceName?: string;
  sourceVersion?: string;
  licenses: string[];
  purl: string;
  /** Absolute paths inside the image that the package database says this package owns. */
  files?: string[];
  /** Path of the database the package was read from, e.g. /var/lib/dpkg/status. */
  location: string;
  layer?: LayerRef;
  maintainer?: string;
  vendor?: string;
  /** Language packages only: how it was found. */
  evidence?: PackageEvidence;
  /** Language packages only, where the source says: needed at run time, or only for development. */
  scope?: 'prod' | 'dev' | 'optional';
  /** Language packages whose files an OS package installed: vulnerability matching reports them once. */
  osPackage?: { type: OsPackageType; name: string; version: string };
}

export interface OsInfo {
  /** os-release ID, e.g. debian, ubuntu, alpine, rhel, fedora. */
  family: string;
  /** VERSION_ID or the release file's version, e.g. "12", "3.19.1". */
  version?: string;
  codename?: string;
  prettyName?: string;
  /** The file the identification came from. */
  source: string;
}

/** Something a detector wants the user to know that is not a package: an unsupported format, a skipped file. */
export interface Notice {
  level: 'info' | 'warning';
  detector: string;
  message: string;
}

export function comparePackages(a: Package, b: Package): number {
  return (
    a.type.localeCompare(b.type) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.version < b.version ? -1 : a.version > b.version ? 1 : 0) ||
    (a.arch ?? '').localeCompare(b.arch ?? '')
  );
}

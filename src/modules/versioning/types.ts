/**
 * A version scheme: how one ecosystem orders its versions.
 * compare() throws UnparseableVersionError for a version the scheme rejects, so that the caller can fail
 * closed ("possibly affected") instead of silently treating a package as unaffected.
 */
export interface VersionScheme {
  /** Equals the folder name under src/modules/versioning/. */
  id: VersionSchemeId;
  displayName: string;
  /** Where the ordering rules are defined. */
  urls: string[];
  isValid(version: string): boolean;
  /** Negative, zero or positive as a orders before, equal to or after b. */
  compare(a: string, b: string): number;
}

export type VersionSchemeId =
  | 'dpkg'
  | 'rpm'
  | 'apk'
  | 'npm'
  | 'pep440'
  | 'go'
  | 'maven'
  | 'rubygems'
  | 'composer'
  | 'nuget'
  | 'cargo';

/** One release of a distribution and its support dates (ISO YYYY-MM-DD, as in the data files). */
export interface EolRelease {
  /** Version as matched against os-release VERSION_ID, e.g. "12", "22.04", "3.19", "2023". */
  version?: string;
  /** Release codename as matched against VERSION_CODENAME, e.g. "bookworm", "jammy". */
  codename?: string;
  /** Human-readable name of the release, e.g. "22.04 LTS (Jammy Jellyfish)". */
  label: string;
  released?: string;
  /** End of regular security support; absent when not announced yet. */
  eol?: string;
  /** End of extended support (Debian LTS, Ubuntu ESM, RHEL ELS), when there is one. */
  extended?: string;
}

export interface EolTable {
  /** os-release ID the table is for: the data file's name without ".csv". */
  family: string;
  /** Where the dates come from, as stated in the data (package and version, or URLs). */
  source: string;
  /** The data file the table was read from. */
  file: string;
  releases: EolRelease[];
}

/** Tables by family (lower case). */
export type EolData = ReadonlyMap<string, EolTable>;

export type EolState = 'supported' | 'near-eol' | 'eol' | 'unknown';

export interface EolStatus {
  status: EolState;
  /** The release matched, e.g. "10 (Buster)". */
  release?: string;
  eolDate?: string;
  source: string;
  extendedUntil?: string;
}

/** The OSV record as Bulwark keeps it (https://ossf.github.io/osv-schema/), after schema validation. */
export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  aliases: string[];
  /** Ids of the upstream flaw a distro record restates (OSV schema 1.7 `upstream`), e.g. DEBIAN-CVE-x -> CVE-x. */
  upstream?: string[];
  related: string[];
  /** OSV severity entries: CVSS_V2 / CVSS_V3 / CVSS_V4 vectors, or a distro's word (type "Ubuntu", score "medium"). */
  severity: OsvSeverity[];
  affected: OsvAffected[];
  references: { type: string; url: string }[];
  databaseSpecific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string };
  severity: OsvSeverity[];
  ranges: OsvRange[];
  versions: string[];
  ecosystemSpecific?: Record<string, unknown>;
  databaseSpecific?: Record<string, unknown>;
}

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT';
  repo?: string;
  events: OsvEvent[];
}

/**
 * A record as the store gives it back for matching: everything but its affected entries, which the
 * store keeps in its package index and hands out one at a time (AffectedMatchCandidate.affected).
 */
export type OsvRecordCore = Omit<OsvRecord, 'affected'>;

/** One affected entry of a record, with the record it belongs to. */
export interface AffectedMatchCandidate {
  record: OsvRecordCore;
  affected: OsvAffected;
}

/** What one download or import brought in, per OSV ecosystem directory (e.g. "Debian", "npm"). */
export interface DbSource {
  /** OSV's top-level ecosystem name, as in the bucket path: "Debian", "Ubuntu", "Alpine", "npm", "PyPI". */
  ecosystem: string;
  /** URL downloaded from, or the path imported. */
  origin: string;
  etag?: string;
  lastModified?: string;
  /** ISO-8601 time of the last successful fetch or import. */
  fetchedAt: string;
  records: number;
  withdrawn: number;
}

/** Read side of the vulnerability database, as matching uses it. */
export interface AdvisoryLookup {
  /** Non-withdrawn records with an affected entry for this exact ecosystem ("Debian:12") and package name key. */
  lookup(ecosystem: string, nameKey: string): AffectedMatchCandidate[];
}

import type { OsvAffected } from './types.js';

/**
 * How an affected entry is kept in the index row: its package is the row's ecosystem and name
 * columns (purl aside) and empty lists are left out, a third less to read per lookup than the
 * entry's plain JSON.
 */
interface StoredAffected {
  purl?: string;
  severity?: OsvAffected['severity'];
  ranges?: OsvAffected['ranges'];
  versions?: string[];
  ecosystemSpecific?: Record<string, unknown>;
  databaseSpecific?: Record<string, unknown>;
}

export function encodeAffected(a: OsvAffected): string {
  const stored: StoredAffected = {};
  if (a.package.purl !== undefined) stored.purl = a.package.purl;
  if (a.severity.length > 0) stored.severity = a.severity;
  if (a.ranges.length > 0) stored.ranges = a.ranges;
  if (a.versions.length > 0) stored.versions = a.versions;
  if (a.ecosystemSpecific) stored.ecosystemSpecific = a.ecosystemSpecific;
  if (a.databaseSpecific) stored.databaseSpecific = a.databaseSpecific;
  return JSON.stringify(stored);
}

export function decodeAffected(ecosystem: string, name: string, json: string): OsvAffected {
  const s = JSON.parse(json) as StoredAffected;
  const affected: OsvAffected = {
    package: s.purl === undefined ? { ecosystem, name } : { ecosystem, name, purl: s.purl },
    severity: s.severity ?? [],
    ranges: s.ranges ?? [],
    versions: s.versions ?? [],
  };
  if (s.ecosystemSpecific) affected.ecosystemSpecific = s.ecosystemSpecific;
  if (s.databaseSpecific) affected.databaseSpecific = s.databaseSpecific;
  return affected;
}

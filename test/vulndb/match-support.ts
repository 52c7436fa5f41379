import type { Package } from '../../src/core/package.js';
import { packageNameKey } from '../../src/vulndb/names.js';
import type { AdvisoryLookup, AffectedMatchCandidate, OsvAffected, OsvRecord } from '../../src/vulndb/types.js';

/**
 * The AdvisoryLookup contract over a plain list of records, for matching-logic tests that need many
 * small cases; the SQLite store is exercised against the same records in test/e2e/vuln-scan.test.ts.
 */
export class RecordList implements AdvisoryLookup {
  constructor(private readonly records: OsvRecord[]) {}
  lookup(ecosystem: string, nameKey: string): AffectedMatchCandidate[] {
    return this.records
      .filter((r) => !r.withdrawn)
      .flatMap((record) =>
        record.affected
          .filter((a) => a.package.ecosystem === ecosystem && packageNameKey(ecosystem, a.package.name) === nameKey)
          .map((affected) => ({ record, affected })),
      );
  }
}

export function record(id: string, affected: Partial<OsvAffected>[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified: '2026-01-01T00:00:00Z',
    aliases: [],
    related: [],
    severity: [],
    references: [],
    ...extra,
    affected: affected.map((a) => ({ severity: [], ranges: [], versions: [], package: { ecosystem: 'npm', name: 'x' }, ...a })),
  };
}

export const range = (...events: Record<string, string>[]) => ({ type: 'ECOSYSTEM' as const, events: events as never });

export function deb(name: string, version: string, source?: { name: string; version: string }): Package {
  return {
    type: 'deb',
    name,
    version,
    ...(source ? { sourceName: source.name, sourceVersion: source.version } : {}),
    licenses: [],
    purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?distro=debian-12`,
    location: '/var/lib/dpkg/status',
  };
}

export function npm(name: string, version: string, extra: Partial<Package> = {}): Package {
  return { type: 'npm', name, version, licenses: [], purl: `pkg:npm/${name}@${version}`, location: `/app/node_modules/${name}/package.json`, ...extra };
}

export const DEBIAN_12 = { family: 'debian', version: '12', codename: 'bookworm', source: '/etc/os-release' };

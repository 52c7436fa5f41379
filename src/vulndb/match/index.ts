import type { CvssScore, Finding, FixStatus, Severity, VulnerabilityDetail } from '../../core/finding.js';
import { findingFingerprint, severityRank } from '../../core/finding.js';
import type { Notice, OsInfo, Package } from '../../core/package.js';
import { resolveSeverity, type ResolvedSeverity } from '../../core/severity.js';
import { getVersionScheme } from '../../modules/versioning/api.js';
import { schemeForEcosystem } from '../../modules/versioning/ecosystems.js';
import type { VersionScheme } from '../../modules/versioning/types.js';
import { packageNameKey } from '../names.js';
import type { AdvisoryLookup, OsvAffected, OsvRecordCore } from '../types.js';
import { distroStatus } from './distro-status.js';
import { matchKey, isKernelPackage, type MatchKey } from './ecosystem.js';
import { groupByFlaw, recordIds } from './flaw-groups.js';
import { evaluateAffected } from './ranges.js';

export interface MatchOptions {
  /** What was scanned, as the user named it. */
  target: string;
  /** Match kernel headers and kernel tool packages against kernel advisories (off: they are not the running kernel). */
  includeKernelPackages?: boolean;
}

export interface MatchOutcome {
  findings: Finding[];
  notices: Notice[];
}

/** One record's verdict on one package. */
interface Hit {
  record: OsvRecordCore;
  affected: OsvAffected;
  status: FixStatus;
  fixed: string[];
  distroWord?: string;
}

/** The OSV ecosystems (with release) that a package list needs advisories for. */
export function ecosystemsFor(packages: Package[], os: OsInfo | undefined): string[] {
  const seen = new Set<string>();
  for (const pkg of packages) {
    const key = matchKey(pkg, os);
    if (key) seen.add(key.ecosystem);
  }
  return [...seen].sort();
}

function hitsFor(pkg: Package, key: MatchKey, lookup: AdvisoryLookup, scheme: VersionScheme, semverScheme: VersionScheme): Hit[] {
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const name of key.names) {
    for (const candidate of lookup.lookup(key.ecosystem, packageNameKey(key.ecosystem, name))) {
      const affected = candidate.affected;
      const verdict = evaluateAffected(key.version, affected, scheme, semverScheme);
      if (verdict.affected === false) continue;
      // The whole record is read from the store only now, for the few candidates that do match.
      const record = candidate.record;
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      if (verdict.affected === 'unknown') {
        hits.push({ record, affected, status: 'possibly_affected', fixed: [] });
        continue;
      }
      const distro = verdict.fixed.length === 0 ? distroStatus(affected) : undefined;
      hits.push({
        record,
        affected,
        status: verdict.fixed.length > 0 ? 'fixed' : (distro?.status ?? 'affected'),
        fixed: verdict.fixed,
        ...(distro ? { distroWord: distro.word } : {}),
      });
    }
  }
  return hits;
}

const STATUS_ORDER: FixStatus[] = ['possibly_affected', 'fixed', 'affected', 'fix_deferred', 'will_not_fix', 'end_of_life'];

/** Severity sources in precedence order (docs/severity.md): a distro's rating, then CVSS, then database_specific. */
function sourceRank(source: string): number {
  if (source.startsWith('cvss')) return 1;
  if (source === 'database_specific') return 2;
  if (source === 'none') return 3;
  return 0;
}

/** Records are shared between lookups (the store caches them), so their severity is resolved once. */
const resolvedFor = { os: new WeakMap<OsvAffected, ResolvedSeverity>(), language: new WeakMap<OsvAffected, ResolvedSeverity>() };

function severityOf(record: OsvRecordCore, affected: OsvAffected, osPackage: boolean): ResolvedSeverity {
  const cache = osPackage ? resolvedFor.os : resolvedFor.language;
  let resolved = cache.get(affected);
  if (!resolved) {
    resolved = resolveSeverity({ record, affected, osPackage });
    cache.set(affected, resolved);
  }
  return resolved;
}

function chooseSeverity(hits: Hit[], osPackage: boolean): { severity: Severity; source: string; cvss: CvssScore[] } {
  let best: { severity: Severity; source: string } = { severity: 'UNKNOWN', source: 'none' };
  const cvss: CvssScore[] = [];
  for (const hit of hits) {
    const resolved = severityOf(hit.record, hit.affected, osPackage);
    cvss.push(...resolved.cvss);
    const better =
      sourceRank(resolved.source) < sourceRank(best.source) ||
      (sourceRank(resolved.source) === sourceRank(best.source) && severityRank(resolved.severity) < severityRank(best.severity));
    if (better) best = { severity: resolved.severity, source: resolved.source };
  }
  const unique = new Map(cvss.map((c) => [`${c.source}|${c.vector}`, c]));
  return { ...best, cvss: [...unique.values()].sort((a, b) => b.score - a.score || (a.vector < b.vector ? -1 : 1)) };
}

function titleOf(id: string, records: OsvRecordCore[]): string {
  const ordered = [...records].sort((a, b) => Number(b.id === id) - Number(a.id === id));
  for (const r of ordered) if (r.summary?.trim()) return r.summary.trim();
  for (const r of ordered) {
    const line = r.details?.trim().split('\n')[0]?.trim();
    if (line) return line.length > 120 ? `${line.slice(0, 117)}...` : line;
  }
  return id;
}

function fingerprintOf(kind: string, id: string, target: string, purl: string, path: string): string {
  return findingFingerprint(kind, id, target, purl, path);
}

function toFinding(id: string, hits: Hit[], pkg: Package, key: MatchKey, scheme: VersionScheme, options: MatchOptions): Finding {
  const records = hits.map((h) => h.record);
  const osPackage = pkg.type === 'deb' || pkg.type === 'rpm' || pkg.type === 'apk';
  const { severity, source, cvss } = chooseSeverity(hits, osPackage);
  const ids = new Set(records.flatMap(recordIds).map((x) => (/^cve-/i.test(x) ? x.toUpperCase() : x)));
  ids.delete(id);
  // A DSA naming several CVEs must not list the other CVEs as this flaw's aliases.
  for (const other of [...ids]) if (/^CVE-/.test(other) && /^CVE-/.test(id)) ids.delete(other);
  const fixed = [...new Set(hits.flatMap((h) => h.fixed))].sort((a, b) => scheme.compare(a, b));
  const status: FixStatus = fixed.length > 0 && !hits.some((h) => h.status === 'possibly_affected')
    ? 'fixed'
    : hits.map((h) => h.status).sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0] ?? 'affected';
  const distroWord = hits.find((h) => h.distroWord)?.distroWord;
  const references = [...new Set(records.flatMap((r) => r.references.map((ref) => ref.url)))].sort();
  const published = records.map((r) => r.published).filter((x): x is string => !!x).sort()[0];
  const modified = records.map((r) => r.modified).sort().at(-1);
  const detail: VulnerabilityDetail = {
    package: {
      type: pkg.type,
      name: pkg.name,
      version: pkg.version,
      purl: pkg.purl,
      ...(key.names[0] !== pkg.name ? { sourceName: key.names[0], sourceVersion: key.version } : {}),
      location: pkg.location,
    },
    ecosystem: key.ecosystem,
    status,
    fixedVersions: fixed,
    ...(distroWord && status !== 'fixed' ? { distroStatus: distroWord } : {}),
    advisories: records.map((r) => r.id).sort(),
    cvss,
    severitySource: source,
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
  };
  const description = records.find((r) => r.id === id)?.details ?? records.find((r) => r.details)?.details;
  return {
    id,
    kind: 'vulnerability',
    severity,
    stackLayer: 'image',
    target: options.target,
    location: { path: pkg.location, ...(pkg.layer ? { layer: pkg.layer } : {}) },
    title: titleOf(id, records),
    ...(description ? { description } : {}),
    aliases: [...ids].sort(),
    references,
    ...(status === 'fixed' ? { remediation: `Upgrade ${pkg.name} to ${fixed[0]} or later` } : {}),
    fingerprint: fingerprintOf('vulnerability', id, options.target, pkg.purl, pkg.location),
    vulnerability: detail,
  };
}

/**
 * Matches every package against the advisories: OS packages in the distro's release ecosystem by source
 * package, language packages in their registry's ecosystem. A language package an OS package installed is
 * skipped (the OS package's advisories cover it), and kernel packages unless asked for.
 */
export function matchPackages(packages: Package[], os: OsInfo | undefined, lookup: AdvisoryLookup, options: MatchOptions): MatchOutcome {
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  const npmSemver = getVersionScheme('npm');
  const unsupported = new Set<string>();
  let kernelSkipped = 0;
  for (const pkg of packages) {
    if (pkg.osPackage) continue;
    if (!options.includeKernelPackages && isKernelPackage(pkg)) {
      kernelSkipped++;
      continue;
    }
    const key = matchKey(pkg, os);
    if (!key) {
      unsupported.add(pkg.type === 'deb' || pkg.type === 'rpm' || pkg.type === 'apk' ? `${os?.family ?? 'unknown OS'} ${os?.version ?? ''}`.trim() : pkg.type);
      continue;
    }
    const schemeId = schemeForEcosystem(key.ecosystem);
    if (!schemeId) {
      unsupported.add(key.ecosystem);
      continue;
    }
    const scheme = getVersionScheme(schemeId);
    // SEMVER ranges are SemVer 2.0; Go and Cargo write theirs in their own SemVer dialect (a "v" prefix,
    // toolchain versions such as "1.21"), which their schemes read.
    const semverScheme = schemeId === 'go' || schemeId === 'cargo' ? scheme : npmSemver;
    const hits = hitsFor(pkg, key, lookup, scheme, semverScheme);
    for (const [id, group] of groupByFlaw(hits.map((h) => h.record))) {
      findings.push(toFinding(id, hits.filter((h) => group.includes(h.record)), pkg, key, scheme, options));
    }
  }
  for (const what of [...unsupported].sort()) {
    notices.push({ level: 'warning', detector: 'vuln', message: `no vulnerability data source for ${what}; its packages were not checked` });
  }
  if (kernelSkipped > 0) {
    notices.push({ level: 'info', detector: 'vuln', message: `${kernelSkipped} kernel header/tool package(s) not matched against kernel advisories (--include-kernel-packages to match them)` });
  }
  return { findings, notices };
}

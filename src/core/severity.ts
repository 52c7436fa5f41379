import cvssLibrary from 'ae-cvss-calculator';
import type { CvssScore, Severity } from './finding.js';
import type { OsvAffected, OsvRecordCore, OsvSeverity } from '../vulndb/types.js';

// ae-cvss-calculator is a CommonJS bundle: Node's ESM loader only sees its default export.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLibrary;

type CvssVersion = CvssScore['version'];

/** Newest first: the order in which CVSS versions are preferred (docs/severity.md). */
const CVSS_VERSIONS: readonly CvssVersion[] = ['4.0', '3.1', '3.0', '2.0'];

const PREFIXES: Record<string, CvssVersion> = { 'CVSS:4.0': '4.0', 'CVSS:3.1': '3.1', 'CVSS:3.0': '3.0', 'CVSS:2.0': '2.0' };

const METRIC = /^[A-Za-z]+:[A-Za-z]+$/;

/**
 * Splits a vector into its version and metric list. The library alone is too lenient for a gate: it reads
 * an unknown prefix ("CVSS:9.9/...") as v2 and lets a repeated metric silently override the first.
 */
function splitVector(vector: string): { version: CvssVersion; body: string } | undefined {
  let text = vector.trim();
  // NVD wrote v2 vectors in parentheses: "(AV:N/AC:L/Au:N/C:P/I:P/A:P)".
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  let version: CvssVersion = '2.0';
  if (text.startsWith('CVSS:')) {
    const slash = text.indexOf('/');
    const named = PREFIXES[slash < 0 ? text : text.slice(0, slash)];
    if (!named || slash < 0) return undefined;
    version = named;
    text = text.slice(slash + 1);
  }
  const metrics = text.split('/');
  if (!metrics.every((m) => METRIC.test(m))) return undefined;
  const keys = metrics.map((m) => m.slice(0, m.indexOf(':')));
  if (new Set(keys).size !== keys.length) return undefined;
  return { version, body: version === '2.0' ? text : `CVSS:${version}/${text}` };
}

/** FIRST's qualitative rating scales: v2 has no CRITICAL; a score of 0.0 (v3/v4 "None") is reported as LOW. */
export function ratingFor(score: number, version: CvssVersion): Severity {
  if (version === '2.0') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

/**
 * Scores a CVSS v2, v3.0, v3.1 or v4.0 vector with ae-cvss-calculator. v2 and v3 give the base score (what
 * NVD, GHSA and the distros publish); v4 gives the score of the vector as written (CVSS-B, -BT, -BE or -BTE),
 * which is how FIRST defines a v4 score. Anything malformed or incomplete is undefined, never a throw.
 */
export function scoreCvss(vector: string, source: string): CvssScore | undefined {
  // A database repeats a few thousand distinct vectors across its records: score each once.
  let scored = scoredVectors.get(vector);
  if (scored === undefined) {
    scored = scoreVector(vector) ?? null;
    if (scoredVectors.size >= 50_000) scoredVectors.clear();
    scoredVectors.set(vector, scored);
  }
  return scored ? { ...scored, source } : undefined;
}

const scoredVectors = new Map<string, Omit<CvssScore, 'source'> | null>();

function scoreVector(vector: string): Omit<CvssScore, 'source'> | undefined {
  const split = splitVector(vector);
  if (!split) return undefined;
  try {
    const parsed =
      split.version === '4.0' ? new Cvss4P0(split.body)
      : split.version === '3.1' ? new Cvss3P1(split.body)
      : split.version === '3.0' ? new Cvss3P0(split.body)
      : new Cvss2(split.body);
    if (!parsed.isBaseFullyDefined()) return undefined;
    const scores = parsed.calculateScores();
    const score = split.version === '4.0' ? scores.overall : (scores as { base?: number }).base;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return undefined;
    return { version: split.version, vector: split.body, score, severity: ratingFor(score, split.version) };
  } catch {
    // The library throws on unknown metrics or values ("AV:Q").
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Precedence (docs/severity.md): 1) the distro's own rating (OS packages only), 2) CVSS, newest version
// first, 3) database_specific.severity, 4) UNKNOWN.

const UBUNTU_PRIORITIES: Record<string, Severity> = {
  negligible: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** Debian security tracker urgencies; "not yet assigned" and "end-of-life" say nothing about severity. */
const DEBIAN_URGENCIES: Record<string, Severity> = {
  unimportant: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
};

/** Red Hat and SUSE impact words. */
const DISTRO_IMPACTS: Record<string, Severity> = {
  low: 'LOW',
  moderate: 'MEDIUM',
  important: 'HIGH',
  critical: 'CRITICAL',
};

/** database_specific.severity words: GHSA's (CRITICAL, HIGH, MODERATE, LOW) and the common variants. */
const DATABASE_WORDS: Record<string, Severity> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  moderate: 'MEDIUM',
  medium: 'MEDIUM',
  low: 'LOW',
};

export interface SeverityInput {
  record: OsvRecordCore;
  affected: OsvAffected;
  /** True for deb, rpm and apk packages: the distro's own rating then comes first. */
  osPackage: boolean;
}

export interface ResolvedSeverity {
  severity: Severity;
  /** "ubuntu", "debian-urgency", "distro-severity", "cvss:<version>", "database_specific" or "none". */
  source: string;
  /** Every vector that scored, newest version first, each naming the record it came from. */
  cvss: CvssScore[];
  /** CVSS vectors that did not score (malformed, incomplete, unknown version): the caller may record a notice. */
  rejected: { vector: string; source: string }[];
}

function word(bag: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = bag?.[key];
  // Debian marks urgencies it took over from NVD with trailing stars: "low**".
  return typeof value === 'string' ? value.trim().toLowerCase().replace(/\*+$/, '') : undefined;
}

function distroRating(record: OsvRecordCore, affected: OsvAffected): { severity: Severity; source: string } | undefined {
  for (const entry of [...affected.severity, ...record.severity]) {
    if (entry.type.toLowerCase() !== 'ubuntu') continue;
    const severity = UBUNTU_PRIORITIES[entry.score.trim().toLowerCase()];
    if (severity) return { severity, source: 'ubuntu' };
  }
  const bags = [affected.ecosystemSpecific, affected.databaseSpecific, record.databaseSpecific];
  for (const bag of bags) {
    const severity = DEBIAN_URGENCIES[word(bag, 'urgency') ?? ''];
    if (severity) return { severity, source: 'debian-urgency' };
  }
  for (const bag of bags) {
    const severity = DISTRO_IMPACTS[word(bag, 'severity') ?? ''];
    if (severity) return { severity, source: 'distro-severity' };
  }
  return undefined;
}

function scoreEntries(entries: OsvSeverity[], recordId: string, rejected: ResolvedSeverity['rejected']): CvssScore[] {
  const scored: CvssScore[] = [];
  for (const entry of entries) {
    if (!/^CVSS_V[234]$/i.test(entry.type)) continue;
    const score = scoreCvss(entry.score, recordId);
    if (score) scored.push(score);
    else rejected.push({ vector: entry.score, source: recordId });
  }
  return scored;
}

function databaseRating(record: OsvRecordCore, affected: OsvAffected): Severity | undefined {
  for (const bag of [affected.databaseSpecific, record.databaseSpecific]) {
    const severity = DATABASE_WORDS[word(bag, 'severity') ?? ''];
    if (severity) return severity;
  }
  return undefined;
}

/** The severity of one affected entry of one OSV record, by the documented precedence (docs/severity.md). */
export function resolveSeverity({ record, affected, osPackage }: SeverityInput): ResolvedSeverity {
  const rejected: ResolvedSeverity['rejected'] = [];
  const fromAffected = scoreEntries(affected.severity, record.id, rejected);
  const fromRecord = scoreEntries(record.severity, record.id, rejected);
  // Newest version first; within a version, the affected entry's own vector before the record's.
  const cvss = CVSS_VERSIONS.flatMap((v) => [...fromAffected, ...fromRecord].filter((s) => s.version === v));

  const distro = osPackage ? distroRating(record, affected) : undefined;
  if (distro) return { ...distro, cvss, rejected };
  const best = cvss[0];
  if (best) return { severity: best.severity, source: `cvss:${best.version}`, cvss, rejected };
  const database = databaseRating(record, affected);
  if (database) return { severity: database, source: 'database_specific', cvss, rejected };
  return { severity: 'UNKNOWN', source: 'none', cvss, rejected };
}

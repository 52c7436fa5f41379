import { UnparseableVersionError } from '../../core/errors.js';
import type { VersionScheme } from '../../modules/versioning/types.js';
import type { OsvAffected, OsvEvent, OsvRange } from '../types.js';

export type RangeVerdict =
  | { affected: false }
  | { affected: true; fixed: string[]; lastAffected?: string }
  /** The installed version or a version in the record could not be parsed: fail closed. */
  | { affected: 'unknown'; reason: string };

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

function eventOf(e: OsvEvent): { kind: Kind; version: string } {
  const [kind, version] = Object.entries(e)[0] as [Kind, string];
  return { kind, version };
}

/**
 * OSV range evaluation (ossf.github.io/osv-schema "Evaluation"): events are sorted by version ("0" first) and
 * walked; the state after the last event at or below the version decides. `limit` caps the range from above.
 */
function evaluateRange(version: string, range: OsvRange, scheme: VersionScheme): RangeVerdict {
  const cmp = (a: string, b: string): number => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : scheme.compare(a, b));
  const events = range.events.map(eventOf);
  const order: Record<Kind, number> = { introduced: 0, fixed: 1, last_affected: 2, limit: 3 };
  events.sort((a, b) => cmp(a.version, b.version) || order[a.kind] - order[b.kind]);
  let affected = false;
  for (const e of events) {
    if (e.kind === 'introduced') {
      if (e.version === '0' || cmp(version, e.version) >= 0) affected = true;
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.version) >= 0) affected = false;
    } else if (e.kind === 'last_affected') {
      if (cmp(version, e.version) > 0) affected = false;
    }
  }
  for (const e of events) {
    if (e.kind === 'limit' && e.version !== '*' && cmp(version, e.version) >= 0) affected = false;
  }
  if (!affected) return { affected: false };
  const fixed = events.filter((e) => e.kind === 'fixed' && cmp(e.version, version) > 0).map((e) => e.version);
  const lastAffected = events.find((e) => e.kind === 'last_affected' && cmp(e.version, version) >= 0)?.version;
  // Only the first fix above the installed version belongs to the segment the version sits in.
  return { affected: true, fixed: fixed.slice(0, 1), ...(lastAffected ? { lastAffected } : {}) };
}

/**
 * Whether one affected entry covers `version`: an exact `versions` entry or any evaluable range.
 * GIT ranges name commits, not versions, and are skipped. SEMVER ranges use `semverScheme`.
 */
export function evaluateAffected(version: string, affected: OsvAffected, scheme: VersionScheme, semverScheme: VersionScheme): RangeVerdict {
  if (!scheme.isValid(version)) return { affected: 'unknown', reason: `installed version "${version}" is not a valid ${scheme.displayName} version` };
  const fixed = new Set<string>();
  let hit = false;
  let lastAffected: string | undefined;
  for (const listed of affected.versions) {
    if (listed === version || (scheme.isValid(listed) && scheme.compare(listed, version) === 0)) hit = true;
  }
  for (const range of affected.ranges) {
    if (range.type === 'GIT') continue;
    const rangeScheme = range.type === 'SEMVER' ? semverScheme : scheme;
    let verdict: RangeVerdict;
    try {
      verdict = evaluateRange(version, range, rangeScheme);
    } catch (e) {
      if (e instanceof UnparseableVersionError) return { affected: 'unknown', reason: `range version "${e.version}" is not a valid ${rangeScheme.displayName} version` };
      throw e;
    }
    if (verdict.affected === true) {
      hit = true;
      verdict.fixed.forEach((f) => fixed.add(f));
      lastAffected ??= verdict.lastAffected;
    } else if (verdict.affected === 'unknown') return verdict;
  }
  if (!hit) return { affected: false };
  const sortedFixed = [...fixed].sort((a, b) => scheme.compare(a, b));
  return { affected: true, fixed: sortedFixed, ...(lastAffected ? { lastAffected } : {}) };
}

import type { Finding, FixStatus, Severity, Suppression } from '../core/finding.js';
import { expiryWarnings, findIgnoreEntry, type IgnoreRules } from './ignorefile.js';
import type { VexDocument } from './vex.js';
import { decidingStatement, indexVex, targetIdentity, type TargetIdentity } from './vex-match.js';

/** What the user asked to see and to count (docs/ignorefile.md, `bulwark image --help`). */
export interface FindingPolicy {
  /** Keep only these severities; absent: all. */
  severities?: Severity[];
  /** Drop vulnerabilities without a fixed version. `possibly_affected` is kept: it fails closed. */
  ignoreUnfixed?: boolean;
  /** Drop vulnerabilities in these states. */
  ignoreStatuses?: FixStatus[];
  ignoreFiles?: IgnoreRules[];
  vex?: VexDocument[];
  /** Keep suppressed findings in the output, marked with `suppressed`. */
  showSuppressed?: boolean;
  /** The clock for ignore-file expiry; defaults to the current time. */
  now?: Date;
  /** Other names of the scanned target besides `finding.target` (tags, repo digests, manifest digest, image ID), for VEX products. */
  targetNames?: string[];
}

export interface PolicyOutcome {
  /** Findings that passed the filters; suppressed ones only with showSuppressed, then with `suppressed` set. */
  findings: Finding[];
  /** Findings that passed the filters but an ignore entry or a VEX statement suppressed. */
  suppressed: number;
  /** Findings dropped by --severity, --ignore-unfixed or --ignore-status. */
  filtered: number;
  /** Expired ignore entries, VEX statements that apply to nothing. */
  warnings: string[];
}

/** Statuses --ignore-unfixed drops: no fixed version known. possibly_affected (unparseable version) stays. */
const UNFIXED: ReadonlySet<FixStatus> = new Set(['affected', 'will_not_fix', 'fix_deferred', 'end_of_life']);

function filteredOut(finding: Finding, policy: FindingPolicy): boolean {
  if (policy.severities && !policy.severities.includes(finding.severity)) return true;
  const status = finding.vulnerability?.status;
  if (!status) return false; // not a vulnerability: the fix-state filters do not apply
  if (policy.ignoreUnfixed && UNFIXED.has(status)) return true;
  return policy.ignoreStatuses?.includes(status) ?? false;
}

export function applyPolicy(findings: Finding[], policy: FindingPolicy): PolicyOutcome {
  const now = policy.now ?? new Date();
  const ignoreFiles = policy.ignoreFiles ?? [];
  const vex = policy.vex ?? [];
  const vexIndex = indexVex(vex);
  const targets = new Map<string, TargetIdentity>();
  const targetOf = (finding: Finding) => {
    let t = targets.get(finding.target);
    if (!t) targets.set(finding.target, (t = targetIdentity([finding.target, ...(policy.targetNames ?? [])])));
    return t;
  };

  const suppressionOf = (finding: Finding): Suppression | undefined => {
    for (const rules of ignoreFiles) {
      const entry = findIgnoreEntry(rules, finding, now);
      if (entry) return { kind: 'ignorefile', source: rules.file, ...(entry.reason ? { reason: entry.reason } : {}) };
    }
    if (vexIndex.size === 0) return undefined;
    const verdict = decidingStatement(vexIndex, finding, targetOf(finding));
    if (!verdict?.statement.suppresses) return undefined;
    const { statement } = verdict;
    const reason = [statement.justification, statement.detail].filter(Boolean).join(': ');
    return { kind: 'vex', source: verdict.file, status: statement.status, ...(reason ? { reason } : {}) };
  };

  const kept: Finding[] = [];
  let filtered = 0;
  let suppressed = 0;
  for (const finding of findings) {
    if (filteredOut(finding, policy)) {
      filtered++;
      continue;
    }
    const suppression = suppressionOf(finding);
    if (suppression) {
      suppressed++;
      if (policy.showSuppressed) kept.push({ ...finding, suppressed: suppression });
      continue;
    }
    const { suppressed: _stale, ...clean } = finding;
    kept.push(clean);
  }
  const warnings = [...ignoreFiles.flatMap((rules) => expiryWarnings(rules, now)), ...vex.flatMap((doc) => doc.warnings)];
  return { findings: kept, suppressed, filtered, warnings };
}

/** The process exit status: `exitCode` when any kept finding is not suppressed, else 0. */
export function exitCodeFor(outcome: PolicyOutcome, exitCode: number): number {
  return outcome.findings.some((f) => !f.suppressed) ? exitCode : 0;
}

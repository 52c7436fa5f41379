/** Helpers every report format shares for findings: selection, wording and links. */
import { compareFindings, type CvssScore, type Finding, type FixStatus, type VulnerabilityDetail } from '../core/finding.js';

export type VulnerabilityFinding = Finding & { vulnerability: VulnerabilityDetail };

export function isVulnerabilityFinding(f: Finding): f is VulnerabilityFinding {
  return f.kind === 'vulnerability' && f.vulnerability !== undefined;
}

/** The vulnerability findings in report order. */
export function vulnerabilityFindings(findings: readonly Finding[]): VulnerabilityFinding[] {
  return findings.filter(isVulnerabilityFinding).sort(compareFindings);
}

/** The advisory's page on osv.dev; OSV resolves CVE ids and other aliases to their records. */
export function osvUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

const STATUS_WORDS: Record<FixStatus, string> = {
  fixed: 'fixed',
  affected: 'no fix yet',
  will_not_fix: 'will not fix',
  fix_deferred: 'fix deferred',
  end_of_life: 'end of life',
  possibly_affected: 'possibly affected (unparseable version)',
};

/** "fixed in 1.2.3, 2.0.1", "no fix yet", "will not fix (no-dsa)", ... */
export function statusText(v: VulnerabilityDetail): string {
  if (v.status === 'fixed' && v.fixedVersions.length > 0) return `fixed in ${v.fixedVersions.join(', ')}`;
  const words = STATUS_WORDS[v.status];
  const fixed = v.fixedVersions.length > 0 ? `; fixed in ${v.fixedVersions.join(', ')}` : '';
  return `${words}${v.distroStatus ? ` (${v.distroStatus})` : ''}${fixed}`;
}

/** The highest CVSS base score among the findings, undefined when none has one. */
export function highestCvss(findings: readonly Finding[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const f of findings) for (const c of f.vulnerability?.cvss ?? []) if (!best || c.score > best.score) best = c;
  return best;
}

/** The finding's other ids: its aliases without the id itself (the matcher already leaves it out). */
export function otherIds(f: Finding): string[] {
  return f.aliases.filter((a) => a !== f.id);
}

/** CycloneDX `vulnerabilities`: one entry per finding (one flaw in one package), built through the library's model. */
import { Enums, Models } from '@cyclonedx/cyclonedx-library';
import type { CvssScore, Severity, Suppression } from '../core/finding.js';
import { osvUrl, otherIds, statusText, vulnerabilityFindings, type VulnerabilityFinding } from './findings.js';
import type { UniqueIds } from './ids.js';

const V = Models.Vulnerability;
const { AffectStatus, AnalysisJustification, AnalysisState, RatingMethod } = Enums.Vulnerability;
type AnalysisStateValue = Enums.Vulnerability.AnalysisState;
type JustificationValue = Enums.Vulnerability.AnalysisJustification;

const SEVERITY: Record<Severity, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
  UNKNOWN: Enums.Vulnerability.Severity.Unknown,
};

const METHOD: Record<CvssScore['version'], Enums.Vulnerability.RatingMethod> = {
  '2.0': RatingMethod.CVSSv2,
  '3.0': RatingMethod.CVSSv3,
  '3.1': RatingMethod.CVSSv31,
  '4.0': RatingMethod.CVSSv4,
};

/** Where an alias is published: NVD for CVEs, GitHub for GHSAs, OSV for the rest (it serves every OSV id). */
function aliasSource(id: string): Models.Vulnerability.Source {
  if (/^CVE-/i.test(id)) return new V.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${encodeURIComponent(id)}` });
  if (/^GHSA-/i.test(id)) return new V.Source({ name: 'GitHub Advisory Database', url: `https://github.com/advisories/${encodeURIComponent(id)}` });
  return new V.Source({ name: 'OSV', url: osvUrl(id) });
}

function ratings(f: VulnerabilityFinding): Models.Vulnerability.RatingRepository {
  const v = f.vulnerability;
  const repo = new V.RatingRepository(
    v.cvss.map(
      (c) =>
        new V.Rating({
          source: new V.Source({ name: c.source, url: osvUrl(c.source) }),
          score: c.score,
          severity: SEVERITY[c.severity],
          method: METHOD[c.version],
          vector: c.vector,
        }),
    ),
  );
  // A severity that did not come from a CVSS vector (distro urgency, GHSA rating) gets its own rating.
  if (!v.severitySource.startsWith('cvss') && f.severity !== 'UNKNOWN') {
    repo.add(new V.Rating({ source: new V.Source({ name: v.severitySource }), severity: SEVERITY[f.severity], method: RatingMethod.Other }));
  }
  return repo;
}

/** OpenVEX justifications in CycloneDX's words, following the mapping OpenVEX and trivy use. */
const OPENVEX_JUSTIFICATIONS: Record<string, JustificationValue> = {
  component_not_present: AnalysisJustification.CodeNotPresent,
  vulnerable_code_not_present: AnalysisJustification.CodeNotPresent,
  vulnerable_code_not_in_execute_path: AnalysisJustification.CodeNotReachable,
  vulnerable_code_cannot_be_controlled_by_adversary: AnalysisJustification.RequiresEnvironment,
  inline_mitigations_already_exist: AnalysisJustification.ProtectedByMitigatingControl,
};

/**
 * The suppression as a CycloneDX analysis: a VEX status or justification that says "not affected" or
 * "fixed" becomes not_affected / resolved; anything else (an ignore file entry, an unknown word) is
 * in_triage, which claims nothing about exploitability.
 */
export function analysisOf(s: Suppression): Models.Vulnerability.Analysis {
  const word = (s.status ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  const states = Object.values(AnalysisState) as string[];
  const justifications = Object.values(AnalysisJustification) as string[];
  let state: AnalysisStateValue = AnalysisState.InTriage;
  let justification: JustificationValue | undefined;
  if (word === 'fixed') state = AnalysisState.Resolved;
  else if (states.includes(word)) state = word as AnalysisStateValue;
  else if (justifications.includes(word)) {
    state = AnalysisState.NotAffected;
    justification = word as JustificationValue;
  } else if (OPENVEX_JUSTIFICATIONS[word]) {
    state = AnalysisState.NotAffected;
    justification = OPENVEX_JUSTIFICATIONS[word];
  }
  const what = s.kind === 'vex' ? 'VEX statement' : 'ignore file entry';
  return new V.Analysis({
    state,
    ...(justification ? { justification } : {}),
    detail: `Suppressed by ${what} in ${s.source}${s.status ? ` (${s.status})` : ''}${s.reason ? `: ${s.reason}` : ''}`,
  });
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function date(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function versionStatus(f: VulnerabilityFinding, analysis: Models.Vulnerability.Analysis | undefined): Enums.Vulnerability.AffectStatus {
  const state = analysis?.state;
  if (state === AnalysisState.NotAffected || state === AnalysisState.FalsePositive || state === AnalysisState.Resolved) return AffectStatus.Unaffected;
  return f.vulnerability.status === 'possibly_affected' ? AffectStatus.Unknown : AffectStatus.Affected;
}

function properties(f: VulnerabilityFinding): Models.PropertyRepository {
  const v = f.vulnerability;
  const entries: [string, string | undefined][] = [
    ['bulwark:finding:fingerprint', f.fingerprint],
    ['bulwark:finding:severity', f.severity],
    ['bulwark:vulnerability:status', v.status],
    ['bulwark:vulnerability:distroStatus', v.distroStatus],
    ['bulwark:vulnerability:ecosystem', v.ecosystem],
    ['bulwark:vulnerability:severitySource', v.severitySource],
    ...v.advisories.map((a): [string, string] => ['bulwark:vulnerability:advisory', a]),
    ...v.fixedVersions.map((x): [string, string] => ['bulwark:vulnerability:fixedVersion', x]),
    ['bulwark:suppression:kind', f.suppressed?.kind],
    ['bulwark:suppression:source', f.suppressed?.source],
  ];
  const repo = new Models.PropertyRepository();
  for (const [name, value] of entries) if (value !== undefined) repo.add(new Models.Property(name, value));
  return repo;
}

function vulnerability(f: VulnerabilityFinding, componentRef: Models.BomRef, bomRef: string): Models.Vulnerability.Vulnerability {
  const v = f.vulnerability;
  const analysis = f.suppressed && analysisOf(f.suppressed);
  const detail = f.description?.trim();
  return new V.Vulnerability({
    bomRef,
    id: f.id,
    source: new V.Source({ name: 'OSV', url: osvUrl(f.id) }),
    references: new V.ReferenceRepository(otherIds(f).map((id) => new V.Reference(id, aliasSource(id)))),
    ratings: ratings(f),
    description: f.title,
    ...(detail && detail !== f.title ? { detail } : {}),
    recommendation: f.remediation ?? sentence(statusText(v)),
    advisories: new V.AdvisoryRepository(f.references.map((url) => new V.Advisory(url))),
    ...(date(v.published) ? { published: date(v.published) } : {}),
    ...(date(v.modified) ? { updated: date(v.modified) } : {}),
    ...(analysis ? { analysis } : {}),
    affects: new V.AffectRepository([
      new V.Affect(componentRef, {
        versions: new V.AffectedVersionRepository([new V.AffectedSingleVersion(v.package.version, { status: versionStatus(f, analysis) })]),
      }),
    ]),
    properties: properties(f),
  });
}

/**
 * Adds one vulnerability per vulnerability finding. `componentFor` finds the package's component by purl
 * and location; a finding whose package is not in the BOM points at `fallback` (the image) instead.
 */
export function addVulnerabilities(
  bom: Models.Bom,
  findings: Parameters<typeof vulnerabilityFindings>[0],
  componentFor: (purl: string, location: string) => Models.BomRef | undefined,
  fallback: Models.BomRef,
  refs: UniqueIds,
): void {
  for (const f of vulnerabilityFindings(findings)) {
    const p = f.vulnerability.package;
    const target = componentFor(p.purl, p.location) ?? fallback;
    bom.vulnerabilities.add(vulnerability(f, target, refs.take(`vulnerability:${f.id}:${target.value ?? p.purl}`, '|')));
  }
}

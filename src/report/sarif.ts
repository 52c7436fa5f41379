/**
 * SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: one run, one rule per advisory
 * or rule id (misconfiguration and secret rules described from their metadata), one result per finding. Built with the @types/sarif types; there is no maintained JavaScript
 * SARIF writer, and the document is checked against the official SARIF 2.1.0 schema in the tests.
 */
import type { Log, Location, ReportingDescriptor, Result, Run, Suppression } from 'sarif';
import { SEVERITIES, compareFindings, severityRank, type Finding, type Severity } from '../core/finding.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { ruleMeta } from '../modules/rules/registry.js';
import type { RuleMeta } from '../modules/rules/types.js';
import { highestCvss, isVulnerabilityFinding, osvUrl, otherIds, statusText } from './findings.js';
import type { Reporter } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The uriBaseId every location is relative to: the root of the scanned image or directory. */
export const ROOT_BASE_ID = 'ROOTPATH';
/** Key of the result's partialFingerprints; bump the version if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = 'bulwark/v1';

type Level = NonNullable<Result['level']>;

export function sarifLevel(severity: Severity): Level {
  return severity === 'CRITICAL' || severity === 'HIGH' ? 'error' : severity === 'MEDIUM' ? 'warning' : 'note';
}

/**
 * Scores GitHub files a finding under when no CVSS score is known: the middle of GitHub's bands
 * (critical above 9.0, high 7.0-8.9, medium 4.0-6.9, low below 4.0), as trivy does.
 */
const BAND_SCORES: Partial<Record<Severity, number>> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0 };

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const unique = (values: Iterable<string>): string[] => [...new Set(values)].sort(byString);

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A path inside the target as a relative URI: no leading slash, each segment percent-encoded ('#', '?', ' ' and ':' included). */
export function pathUri(path: string): string {
  return path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
}

function mostSevere(findings: readonly Finding[]): Severity {
  return SEVERITIES[Math.min(...findings.map((f) => severityRank(f.severity)))] ?? 'UNKNOWN';
}

/** Markdown table cell: code span for versions (a '~' would otherwise start a GFM strikethrough). */
function cell(text: string, code = false): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return code && flat !== '' ? `\`${flat.replace(/`/g, '')}\`` : flat;
}

/** The end of every rule's help: its other ids and its links, in text and Markdown. */
function helpFooter(text: string[], markdown: string[], aliases: readonly string[], references: readonly string[]): { text: string; markdown: string } {
  if (aliases.length > 0) {
    text.push('', `Other ids: ${aliases.join(', ')}`);
    markdown.push('', `Other ids: ${aliases.join(', ')}`);
  }
  if (references.length > 0) {
    text.push('', 'References:', ...references.map((r) => `- ${r}`));
    markdown.push('', 'References:', ...references.map((r) => `- <${r}>`));
  }
  return { text: text.join('\n'), markdown: markdown.join('\n') };
}

function help(id: string, findings: readonly Finding[], references: readonly string[]): { text: string; markdown: string } {
  const first = findings[0]!;
  const aliases = unique(findings.flatMap(otherIds));
  const text = [`${id}: ${first.title}`, ''];
  const markdown = [`**${id}**: ${cell(first.title)}`, '', '| Package | Installed | Fixed | Status |', '| --- | --- | --- | --- |'];
  for (const f of findings) {
    const v = f.vulnerability;
    const name = v?.package.name ?? f.location.path ?? f.location.resource ?? f.target;
    const installed = v?.package.version ?? '';
    const fixed = v?.fixedVersions.join(', ') ?? '';
    const status = v ? statusText(v) : (f.remediation ?? '');
    text.push(`Package: ${name}; installed: ${installed || '-'}; fixed: ${fixed || '-'}; status: ${status}`);
    markdown.push(`| ${cell(name, true)} | ${cell(installed, true)} | ${cell(fixed, true)} | ${cell(status)} |`);
  }
  return helpFooter(text, markdown, aliases, references);
}

/** The help of a misconfiguration or secret rule: why it matters, what to do, its other ids and links. */
function ruleHelp(id: string, title: string, rationale: string | undefined, remediation: string | undefined, aliases: readonly string[], references: readonly string[]): { text: string; markdown: string } {
  const text = [`${id}: ${title}`];
  const markdown = [`**${id}**: ${cell(title)}`];
  if (rationale) {
    text.push('', rationale);
    markdown.push('', rationale);
  }
  if (remediation) {
    text.push('', `Remediation: ${remediation}`);
    markdown.push('', `**Remediation:** ${remediation}`);
  }
  return helpFooter(text, markdown, aliases, references);
}

/**
 * A misconfiguration or secret rule, described from its metadata (the data `bulwark rules` lists), never
 * from a finding's own message, which for a secret holds the masked value. A rule no built-in pack
 * defines falls back to what its findings say.
 */
function ruleFromMeta(id: string, findings: readonly Finding[], meta: RuleMeta | undefined): ReportingDescriptor {
  const first = findings[0]!;
  const severity = mostSevere(findings);
  const title = meta?.title ?? first.title;
  const aliases = unique([...(meta?.aliases ?? []), ...findings.flatMap(otherIds)].filter((a) => a !== id));
  // The rule's own order: its first reference is the one to follow.
  const references = [...new Set(meta ? meta.references : findings.flatMap((f) => f.references))].filter(isAbsoluteUrl);
  const score = BAND_SCORES[severity];
  return {
    id,
    shortDescription: { text: title },
    fullDescription: { text: meta?.rationale ?? title },
    ...(references[0] ? { helpUri: references[0] } : {}),
    help: ruleHelp(id, title, meta?.rationale, meta?.remediation ?? first.remediation, aliases, references),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: [first.kind, 'security', severity, ...aliases],
      ...(score !== undefined ? { 'security-severity': score.toFixed(1) } : {}),
      precision: 'high',
    },
  };
}

/** One rule per distinct id; `findings` are that id's findings in report order (most severe first). */
function rule(id: string, findings: readonly Finding[]): ReportingDescriptor {
  if (findings[0]!.kind !== 'vulnerability') return ruleFromMeta(id, findings, ruleMeta(id));
  const first = findings[0]!;
  const severity = mostSevere(findings);
  const references = unique(findings.flatMap((f) => f.references)).filter(isAbsoluteUrl);
  const helpUri = first.references.find(isAbsoluteUrl) ?? (first.kind === 'vulnerability' ? osvUrl(id) : undefined);
  const cvss = highestCvss(findings);
  const score = severity === 'UNKNOWN' ? undefined : (cvss?.score ?? BAND_SCORES[severity]);
  return {
    id,
    shortDescription: { text: first.title },
    fullDescription: { text: first.description?.trim() || first.title },
    ...(helpUri ? { helpUri } : {}),
    help: help(id, findings, references),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: [first.kind, 'security', severity, ...unique(findings.flatMap(otherIds))],
      ...(score !== undefined ? { 'security-severity': score.toFixed(1) } : {}),
      precision: 'very-high',
    },
  };
}

function message(f: Finding): string {
  if (!isVulnerabilityFinding(f)) return f.description?.trim() || f.title;
  const p = f.vulnerability.package;
  return `${p.name} ${p.version} is affected by ${f.id} (${f.severity}): ${statusText(f.vulnerability)}. ${f.title}`;
}

function locations(f: Finding): Location[] {
  const purl = f.vulnerability?.package.purl;
  const path = f.location.path;
  if (!path && !purl && !f.location.resource) return [];
  return [
    {
      ...(path
        ? {
            physicalLocation: {
              artifactLocation: { uri: pathUri(path), uriBaseId: ROOT_BASE_ID },
              // GitHub code scanning wants a line; line 1 stands for "the file as a whole" (a package database).
              region: { startLine: f.location.line ?? 1 },
            },
          }
        : {}),
      logicalLocations: purl
        ? [{ name: f.vulnerability!.package.name, fullyQualifiedName: purl, kind: 'module' }]
        : f.location.resource
          ? [{ fullyQualifiedName: f.location.resource, kind: 'resource' }]
          : undefined,
    },
  ];
}

function suppressions(f: Finding): Suppression[] | undefined {
  const s = f.suppressed;
  if (!s) return undefined;
  const what = s.kind === 'vex' ? 'VEX statement' : 'ignore file entry';
  return [
    {
      kind: 'external',
      status: 'accepted',
      justification: `${what} in ${s.source}${s.status ? ` (${s.status})` : ''}${s.reason ? `: ${s.reason}` : ''}`,
      properties: { source: s.source, suppressionKind: s.kind, ...(s.status ? { vexStatus: s.status } : {}) },
    },
  ];
}

function result(f: Finding, ruleIndex: number): Result {
  const v = f.vulnerability;
  const layer = f.location.layer;
  const sup = suppressions(f);
  const locs = locations(f);
  return {
    ruleId: f.id,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: message(f) },
    ...(locs.length > 0 ? { locations: locs } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(sup ? { suppressions: sup } : {}),
    properties: {
      severity: f.severity,
      aliases: unique(otherIds(f)),
      ...(v
        ? {
            purl: v.package.purl,
            installedVersion: v.package.version,
            fixedVersions: v.fixedVersions,
            status: v.status,
            ...(v.distroStatus ? { distroStatus: v.distroStatus } : {}),
            ecosystem: v.ecosystem,
          }
        : {}),
      ...(layer ? { layer: { index: layer.index, diffId: layer.diffId } } : {}),
    },
  };
}

export function toSarifLog(r: ImageScanResult): Log {
  const findings = [...r.findings].sort(compareFindings);
  const byId = new Map<string, Finding[]>();
  for (const f of findings) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  const ids = [...byId.keys()].sort(byString);
  const index = new Map(ids.map((id, i) => [id, i]));
  const a = r.artifact;
  const run: Run = {
    tool: {
      driver: {
        name: r.tool.name,
        version: r.tool.version,
        rules: ids.map((id) => rule(id, byId.get(id)!)),
      },
    },
    originalUriBaseIds: {
      [ROOT_BASE_ID]:
        a.source === 'directory'
          ? { description: { text: `the scanned directory, ${a.reference}` } }
          : { uri: 'file:///', description: { text: `the root filesystem of ${a.reference}` } },
    },
    results: findings.map((f) => result(f, index.get(f.id)!)),
    invocations: [{ executionSuccessful: true, endTimeUtc: r.createdAt }],
    properties: {
      target: a.reference,
      ...(a.configDigest ? { imageId: a.configDigest } : {}),
      ...(a.manifestDigest ? { manifestDigest: a.manifestDigest } : {}),
      repoTags: unique(a.repoTags),
      scanners: unique(r.scanners),
      ...(r.vulnerabilityDb ? { vulnerabilityDb: { updatedAt: r.vulnerabilityDb.updatedAt, stale: r.vulnerabilityDb.stale } } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export const sarifReporter: Reporter = {
  id: 'sarif',
  render: (result) => `${JSON.stringify(toSarifLog(result), null, 2)}\n`,
};

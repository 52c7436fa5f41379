/** The table report's vulnerability part: a count per severity, findings grouped by package, the database's age. */
import { SEVERITIES, compareFindings, type Finding, type Severity, type Suppression, type VulnerabilityDetail } from '../core/finding.js';
import type { ImageScanResult, VulnDbInfo } from '../core/scan-result.js';
import { otherIds, statusText, vulnerabilityFindings, type VulnerabilityFinding } from './findings.js';
import { formatTable, truncate, type Style } from './text-table.js';

const INDENT = '  ';

export function paintSeverity(severity: Severity, text: string, style: Style): string {
  switch (severity) {
    case 'CRITICAL':
      return style.bold(style.colour('red', text));
    case 'HIGH':
      return style.colour('red', text);
    case 'MEDIUM':
      return style.colour('yellow', text);
    case 'LOW':
      return style.colour('blue', text);
    case 'UNKNOWN':
      return style.dim(text);
  }
}

/**
 * "Vulnerabilities: 12 (CRITICAL 1, HIGH 3, MEDIUM 5, LOW 2, UNKNOWN 1), 2 suppressed": suppressed
 * findings are not in the counts; their number goes on a line of its own when the width is short.
 */
export function summaryLines(label: string, findings: readonly Finding[], style: Style, width: number): string[] {
  const counted = findings.filter((f) => !f.suppressed);
  const counts = SEVERITIES.map((s) => [s, counted.filter((f) => f.severity === s).length] as const);
  const plain = `${label}: ${counted.length} (${counts.map(([s, n]) => `${s} ${n}`).join(', ')})`;
  const styled = `${style.bold(`${label}: ${counted.length}`)} (${counts.map(([s, n]) => (n > 0 ? paintSeverity(s, `${s} ${n}`, style) : `${s} ${n}`)).join(', ')})`;
  const suppressed = findings.length - counted.length;
  if (suppressed === 0) return [styled];
  const tail = `${suppressed} suppressed`;
  return plain.length + 2 + tail.length <= width ? [`${styled}, ${tail}`] : [styled, tail];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Findings per package (purl and location), packages in inventory order, findings in report order. */
function groupByPackage(findings: readonly VulnerabilityFinding[]): VulnerabilityFinding[][] {
  const groups = new Map<string, VulnerabilityFinding[]>();
  for (const f of findings) {
    const p = f.vulnerability.package;
    const key = `${p.purl}\u0000${p.location}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .map((g) => g.sort(compareFindings))
    .sort(([a], [b]) => {
      const p = a!.vulnerability.package;
      const q = b!.vulnerability.package;
      return byString(p.type, q.type) || byString(p.name, q.name) || byString(p.version, q.version) || byString(p.purl, q.purl) || byString(p.location, q.location);
    });
}

function packageLine(first: VulnerabilityFinding, style: Style, width: number): string {
  const p = first.vulnerability.package;
  const details = [p.type, p.sourceName && p.sourceName !== p.name && `source ${p.sourceName}`, first.location.layer && `layer ${first.location.layer.index}`].filter(Boolean);
  const head = `${p.name} ${p.version}`;
  const tail = ` (${details.join(', ')})`;
  if (head.length >= width) return style.bold(truncate(head, width));
  return `${style.bold(head)}${style.dim(truncate(tail, width - head.length))}`;
}

function ageText(from: string, to: string): string | undefined {
  const ms = Date.parse(to) - Date.parse(from);
  if (Number.isNaN(ms)) return undefined;
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const amount = hours < 1 ? 'less than an hour' : hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.floor(hours / 24)} days`;
  return ms < 0 ? `${amount} after the scan` : `${amount} before the scan`;
}

/** The database's age is measured against the scan's own time, so the same result always renders alike. */
function dbLine(db: VulnDbInfo, scannedAt: string, style: Style): string {
  const records = db.sources.reduce((sum, s) => sum + s.records, 0);
  const age = ageText(db.updatedAt, scannedAt);
  const parts = [
    `updated ${db.updatedAt}${age ? ` (${age})` : ''}`,
    `${db.sources.length} source${db.sources.length === 1 ? '' : 's'}, ${records.toLocaleString('en-US')} records`,
  ];
  const line = `${style.bold('Vulnerability DB:')} ${parts.join('; ')}`;
  return db.stale ? `${line}; ${style.colour('yellow', 'STALE: run `bulwark db update`')}` : line;
}

/** The fixed versions when there are, else what the status says ("no fix yet", "will not fix (no-dsa)"). */
function fixedOrStatus(v: VulnerabilityDetail): string {
  return v.status === 'fixed' && v.fixedVersions.length > 0 ? v.fixedVersions.join(', ') : statusText(v);
}

export function suppressionText(s: Suppression): string {
  const what = s.kind === 'vex' ? 'VEX statement' : 'ignore file entry';
  return `suppressed by ${what} in ${s.source}${s.status ? ` (${s.status})` : ''}${s.reason ? `: ${s.reason}` : ''}`;
}

/**
 * Lines to append after the inventory; none when the vulnerability scanner did not run. Findings are
 * grouped by package; suppressed ones (present only with --show-suppressed) follow in their own block,
 * dimmed, each with the statement that suppressed it. One table over both keeps their columns aligned.
 */
export function vulnerabilitySection(r: ImageScanResult, style: Style, width: number): string[] {
  if (!r.scanners.includes('vuln')) return [];
  const findings = vulnerabilityFindings(r.findings);
  const out = ['', ...summaryLines('Vulnerabilities', findings, style, width)];
  if (findings.length === 0) {
    out.push(style.dim('No vulnerabilities found.'));
    return out;
  }
  const blocks = [groupByPackage(findings.filter((f) => !f.suppressed)), groupByPackage(findings.filter((f) => f.suppressed))];
  const rows = blocks.flat(2);
  const dimIfSuppressed = (cell: string, row: number): string => (rows[row]!.suppressed ? style.dim(cell) : cell);
  const lines = formatTable(
    [
      { header: 'ID', paint: dimIfSuppressed },
      { header: 'SEVERITY', paint: (cell, row) => (rows[row]!.suppressed ? style.dim(cell) : paintSeverity(rows[row]!.severity, cell, style)) },
      { header: 'FIXED IN / STATUS', flexible: true, minWidth: 17, paint: dimIfSuppressed },
      { header: 'OTHER IDS', flexible: true, minWidth: 13, paint: dimIfSuppressed },
      { header: 'TITLE', flexible: true, minWidth: 10, paint: dimIfSuppressed },
    ],
    rows.map((f) => [f.id, f.severity, fixedOrStatus(f.vulnerability), otherIds(f).join(', '), f.title]),
    width - INDENT.length,
    style,
  );
  out.push(INDENT + lines[0]!);
  let next = 1;
  for (const [i, groups] of blocks.entries()) {
    if (i === 1 && groups.length > 0) out.push(style.bold(`Suppressed (${groups.flat().length})`));
    for (const group of groups) {
      out.push(packageLine(group[0]!, style, width));
      for (const f of group) {
        out.push(INDENT + lines[next++]!);
        if (f.suppressed) out.push(style.dim(truncate(`${INDENT}${INDENT}${suppressionText(f.suppressed)}`, width)));
      }
    }
  }
  return out;
}

/** The report's last lines: which vulnerability database the findings came from and how old it was. */
export function vulnerabilityDbFooter(r: ImageScanResult, style: Style): string[] {
  return r.scanners.includes('vuln') && r.vulnerabilityDb ? ['', dbLine(r.vulnerabilityDb, r.createdAt, style)] : [];
}

/** The table report's misconfiguration and secret parts: a count per severity, then one row per finding. */
import { compareFindings, type Finding, type FindingKind } from '../core/finding.js';
import type { ImageScanResult, ScannerId } from '../core/scan-result.js';
import { paintSeverity, summaryLines, suppressionText } from './table-vulns.js';
import { formatTable, truncate, type Style } from './text-table.js';

const INDENT = '  ';

interface Section {
  scanner: ScannerId;
  kind: FindingKind;
  label: string;
  none: string;
}

const MISCONFIGURATIONS: Section = { scanner: 'misconfig', kind: 'misconfiguration', label: 'Misconfigurations', none: 'No misconfigurations found.' };
const SECRETS: Section = { scanner: 'secret', kind: 'secret', label: 'Secrets', none: 'No secrets found.' };

/** "path:line", "path", the resource ("ENV DB_PASSWORD", "config.User"), or "-". A line is only shown with a file. */
export function whereText(f: Finding): string {
  const { path, line, resource } = f.location;
  if (path) return line !== undefined ? `${path}:${line}` : path;
  return resource ?? '-';
}

/**
 * How a finding about an object (a Kubernetes object, an AWS resource) is placed: the object, then the
 * file and line it was read at, or the field inside the object when it came from a live API.
 */
function objectPlace(f: Finding): [string, string] {
  const { path, line, resource } = f.location;
  const [before = '-', field] = (resource ?? '-').split('#', 2);
  // AWS resources are named by the JSON pointer inside their file ("task.json#/taskDefinition/...").
  const object = before === path && field ? field : before;
  if (path) return [object, line !== undefined ? `${path}:${line}` : path];
  return [object, field || '-'];
}

export interface SectionOptions {
  /** OBJECT and WHERE columns for findings about objects, instead of WHERE and LAYER for images. */
  objects?: boolean;
}

function section(r: ImageScanResult, s: Section, style: Style, width: number, options: SectionOptions = {}): string[] {
  if (!r.scanners.includes(s.scanner)) return [];
  const findings = r.findings.filter((f) => f.kind === s.kind).sort(compareFindings);
  const out = ['', ...summaryLines(s.label, findings, style, width)];
  if (findings.length === 0) {
    out.push(style.dim(s.none));
    return out;
  }
  const shown = findings.filter((f) => !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  const rows = [...shown, ...suppressed];
  const dimIfSuppressed = (cell: string, row: number): string => (rows[row]!.suppressed ? style.dim(cell) : cell);
  const lines = formatTable(
    [
      { header: 'SEVERITY', paint: (cell, row) => (rows[row]!.suppressed ? style.dim(cell) : paintSeverity(rows[row]!.severity, cell, style)) },
      { header: 'ID', paint: dimIfSuppressed },
      { header: 'TITLE', flexible: true, minWidth: 16, paint: dimIfSuppressed },
      ...(options.objects
        ? [
            { header: 'OBJECT', flexible: true, minWidth: 12, paint: dimIfSuppressed },
            { header: 'WHERE', flexible: true, minWidth: 12, paint: dimIfSuppressed },
          ]
        : [
            { header: 'WHERE', flexible: true, minWidth: 12, paint: dimIfSuppressed },
            { header: 'LAYER', align: 'right' as const, paint: dimIfSuppressed },
          ]),
    ],
    rows.map((f) =>
      options.objects
        ? [f.severity, f.id, f.title, ...objectPlace(f)]
        : [f.severity, f.id, f.title, whereText(f), f.location.layer ? String(f.location.layer.index) : '-'],
    ),
    width - INDENT.length,
    style,
  );
  out.push(INDENT + lines[0]!);
  // Each row is followed by what exactly was found (for secrets: the masked value), when the title does not already say it.
  for (const [i, f] of rows.entries()) {
    if (i === shown.length) out.push(style.bold(`Suppressed (${suppressed.length})`));
    out.push(INDENT + lines[i + 1]!);
    const detail = f.description?.replace(/\s+/g, ' ').trim();
    if (detail && detail !== f.title) out.push(truncate(`${INDENT}${INDENT}${detail}`, width));
    if (f.suppressed) out.push(style.dim(truncate(`${INDENT}${INDENT}${suppressionText(f.suppressed)}`, width)));
  }
  return out;
}

/** Lines to append after the vulnerabilities; none for a scanner that did not run. */
export function misconfigurationSection(r: ImageScanResult, style: Style, width: number, options: SectionOptions = {}): string[] {
  return section(r, MISCONFIGURATIONS, style, width, options);
}

export function secretSection(r: ImageScanResult, style: Style, width: number): string[] {
  return section(r, SECRETS, style, width);
}

import type { Package } from '../core/package.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { comparePackagesFully } from './json.js';
import { misconfigurationSection, secretSection } from './table-findings.js';
import { leanSection } from './table-lean.js';
import { vulnerabilityDbFooter, vulnerabilitySection } from './table-vulns.js';
import { ansiStyle, cleanCreatedBy, formatTable, humanSize, plainStyle, type Style } from './text-table.js';
import type { RenderOptions, Reporter } from './types.js';

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

function platform(r: ImageScanResult): string {
  const a = r.artifact;
  return [a.os, a.architecture, a.variant].filter(Boolean).join('/') || '-';
}

function osName(r: ImageScanResult): string {
  const os = r.os;
  if (!os) return 'unknown';
  return os.prettyName ?? [os.family, os.version, os.codename && `(${os.codename})`].filter(Boolean).join(' ');
}

function sourceColumn(p: Package): string {
  const name = p.sourceName ?? p.name;
  const version = p.sourceVersion ?? p.version;
  if (name === p.name && version === p.version) return '';
  return version === p.version ? name : `${name} (${version})`;
}

function summary(r: ImageScanResult, style: Style): string[] {
  const counts = new Map<string, number>();
  for (const p of r.packages) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
  const byType = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t} ${n}`);
  const a = r.artifact;
  const fields: [string, string][] = [
    [a.source === 'directory' ? 'Directory' : 'Image', a.name ?? a.repoTags[0] ?? a.reference],
    ['Image ID', a.configDigest ? shortDigest(a.configDigest) : '-'],
    ['OS', osName(r)],
    ['Platform', platform(r)],
    ['Created', a.created ?? '-'],
    ['Packages', `${r.packages.length}${byType.length ? ` (${byType.join(', ')})` : ''}`],
  ];
  if (a.manifestDigest) fields.splice(2, 0, ['Digest', a.manifestDigest]);
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${style.bold(k.padEnd(w))}  ${v}`);
}

function render(r: ImageScanResult, options: RenderOptions = {}): string {
  const style = options.color ? ansiStyle : plainStyle;
  const width = options.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 80;
  const out = summary(r, style);

  const layers = [...r.artifact.layers].sort((x, y) => x.index - y.index);
  out.push('', style.bold(`Layers (${layers.length})`));
  out.push(
    ...formatTable(
      [{ header: '#', align: 'right' }, { header: 'DIFF ID' }, { header: 'SIZE', align: 'right' }, { header: 'CREATED BY', flexible: true }],
      layers.map((l) => [String(l.index), shortDigest(l.diffId), humanSize(l.size), cleanCreatedBy(l.createdBy ?? '')]),
      width,
      style,
    ),
  );

  const packages = [...r.packages].sort(comparePackagesFully);
  out.push('', style.bold(`Packages (${packages.length})`));
  if (packages.length === 0) out.push(style.dim('No packages found.'));
  else {
    out.push(
      ...formatTable(
        [{ header: 'NAME' }, { header: 'VERSION' }, { header: 'TYPE' }, { header: 'ARCH' }, { header: 'SOURCE' }, { header: 'LAYER', align: 'right' }],
        packages.map((p) => [p.name, p.version, p.type, p.arch ?? '', sourceColumn(p), p.layer ? String(p.layer.index) : '-']),
        Number.POSITIVE_INFINITY,
        style,
      ),
    );
  }

  out.push(...vulnerabilitySection(r, style, width));
  out.push(...misconfigurationSection(r, style, width));
  out.push(...secretSection(r, style, width));
  out.push(...leanSection(r, style, width));

  if (r.notices.length > 0) {
    out.push('', style.bold(`Notices (${r.notices.length})`));
    for (const n of r.notices) out.push(`${n.level === 'warning' ? 'WARN' : 'INFO'}  ${n.detector}: ${n.message}`);
  }
  out.push(...vulnerabilityDbFooter(r, style));
  return `${out.join('\n')}\n`;
}

export const tableReporter: Reporter = { id: 'table', render };

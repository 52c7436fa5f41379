import { SEVERITIES, type Finding } from '../core/finding.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { ansiStyle, plainStyle } from './text-table.js';

/** Aliases worth showing beside a Dockerfile rule id: hadolint's, which most readers know. */
function hadolintIds(f: Finding): string {
  return f.aliases.filter((a) => /^DL\d+$/.test(a)).join(',');
}

/**
 * `bulwark dockerfile`'s table: one line per finding, `file:line severity id (DL ids) title: message`,
 * grouped by file in the order the files were named, the way linters print so editors can jump to them.
 */
export function renderDockerfileTable(result: ImageScanResult, files: readonly string[], options: { color?: boolean } = {}): string {
  const style = options.color ? ansiStyle : plainStyle;
  const out: string[] = [];
  for (const file of [...new Set(files)]) {
    const mine = result.findings.filter((f) => f.location.path === file).sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.id < b.id ? -1 : 1));
    const counts = SEVERITIES.map((s) => [s, mine.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    out.push(style.bold(`${file} (${mine.length} finding${mine.length === 1 ? '' : 's'}${counts.length ? `: ${counts.map(([s, n]) => `${s} ${n}`).join(', ')}` : ''})`));
    for (const f of mine) {
      const dl = hadolintIds(f);
      const severity = f.severity === 'CRITICAL' || f.severity === 'HIGH' ? style.colour('red', f.severity) : f.severity === 'MEDIUM' ? style.colour('yellow', f.severity) : f.severity;
      const suppressed = f.suppressed ? style.dim(' (suppressed)') : '';
      out.push(`${file}:${f.location.line ?? 1} ${severity} ${f.id}${dl ? ` (${dl})` : ''} ${f.title}${f.description && f.description !== f.title ? `: ${f.description}` : ''}${suppressed}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

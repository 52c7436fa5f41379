import type { RegistryScanReport } from '../cli/registry-command.js';
import { ansiStyle, formatTable, humanSize, plainStyle } from './text-table.js';

const short = (digest: string | undefined): string => (digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '-');

/** `bulwark registry scan` as a table: one row per image, then the totals and what the layer cache saved. */
export function renderRegistryScanTable(report: RegistryScanReport, options: { color?: boolean; width?: number } = {}): string {
  const style = options.color ? ansiStyle : plainStyle;
  const width = options.width ?? (process.stdout.isTTY ? process.stdout.columns : 160);
  const rows = report.images.map((i) => {
    const v = i.vulnerabilities;
    const status = i.status === 'ok' ? (i.resumed ? 'ok (resumed)' : 'ok') : 'FAILED';
    return [
      i.reference,
      short(i.digest),
      status,
      i.packages === undefined ? '-' : String(i.packages),
      v ? `${v.CRITICAL}/${v.HIGH}/${v.MEDIUM}/${v.LOW}` : '-',
      i.misconfigurations === undefined ? '-' : String(i.misconfigurations),
      i.secrets === undefined ? '-' : String(i.secrets),
      `${(i.durationMs / 1000).toFixed(1)} s`,
    ];
  });
  const lines = formatTable(
    [
      { header: 'IMAGE', flexible: true, minWidth: 20 },
      { header: 'DIGEST' },
      { header: 'STATUS', paint: (cell, row) => (report.images[row]!.status === 'ok' ? cell : style.colour('red', cell)) },
      { header: 'PACKAGES', align: 'right' },
      { header: 'VULNS C/H/M/L', align: 'right' },
      { header: 'MISCONFIG', align: 'right' },
      { header: 'SECRETS', align: 'right' },
      { header: 'TIME', align: 'right' },
    ],
    rows,
    width,
    style,
  );
  const out = [`${style.bold('Registry')}  ${report.registry}`, '', ...lines];
  for (const i of report.images.filter((x) => x.status !== 'ok')) out.push(`${i.reference}: ${i.error ?? 'failed'}`);
  const s = report.summary;
  out.push('', `${s.images} images: ${s.ok} ok, ${s.failed} failed, ${s.resumed} resumed from the state file, ${(s.durationMs / 1000).toFixed(1)} s`);
  if (s.layerCache) {
    const c = s.layerCache;
    out.push(`Layers: ${humanSize(c.networkBytes)} fetched; ${c.hits + c.joined} layer reads served by the cache, ${c.misses} fetched`);
  }
  return `${out.join('\n')}\n`;
}

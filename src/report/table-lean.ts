/** The table report's lean-image part: bytes the layers waste, the largest directories, tools to remove. */
import type { ImageScanResult } from '../core/scan-result.js';
import type { EfficiencyReport } from '../image/efficiency/report.js';
import type { RemovableTool } from '../modules/rules/image/types.js';
import { compareDirectorySizes, compareRemovableTools, compareWastedPaths } from './json.js';
import { cleanCreatedBy, formatTable, humanSize, type Style } from './text-table.js';

const INDENT = '  ';

const count = (n: number): string => n.toLocaleString('en-US');

/** Rounded down, so an image that wastes a single byte never shows 100 %. */
export function efficiencyText(efficiency: number): string {
  return `${(Math.floor(efficiency * 10_000) / 100).toFixed(2)} %`;
}

function indented(lines: string[]): string[] {
  return lines.map((l) => INDENT + l);
}

function efficiencyLines(r: ImageScanResult, e: EfficiencyReport, style: Style, width: number): string[] {
  const fields: [string, string][] = [
    ['Efficiency', efficiencyText(e.efficiency)],
    ['In layers', humanSize(e.totalBytes)],
    ['In final filesystem', humanSize(e.finalBytes)],
    ['Wasted', `${humanSize(e.wastedBytes)} (overwritten or deleted in a later layer)`],
  ];
  const w = Math.max(...fields.map(([k]) => k.length));
  const out = fields.map(([k, v]) => `${style.bold(k.padEnd(w))}  ${v}`);

  const wasting = e.layers.filter((l) => l.wastedBytes > 0).sort((a, b) => a.index - b.index);
  if (wasting.length === 0) out.push(style.dim('No layer wastes bytes: nothing is overwritten or deleted later.'));
  else {
    const createdBy = new Map(r.artifact.layers.map((l) => [l.index, cleanCreatedBy(l.createdBy ?? '')]));
    out.push('', style.bold('Wasted per layer'));
    out.push(
      ...indented(
        formatTable(
          [
            { header: '#', align: 'right' },
            { header: 'ADDED', align: 'right' },
            { header: 'WASTED', align: 'right' },
            { header: 'FILES', align: 'right' },
            { header: 'CREATED BY', flexible: true },
          ],
          wasting.map((l) => [String(l.index), humanSize(l.addedBytes), humanSize(l.wastedBytes), `${count(l.wastedFiles)}/${count(l.addedFiles)}`, createdBy.get(l.index) ?? '']),
          width - INDENT.length,
          style,
        ),
      ),
    );
  }
  if (e.wastedPaths.length > 0) {
    out.push('', style.bold(`Top wasted paths (${e.wastedPaths.length})`));
    out.push(
      ...indented(
        formatTable(
          [{ header: 'WASTED', align: 'right' }, { header: 'LAYERS' }, { header: 'FATE' }, { header: 'PATH', flexible: true, minWidth: 20 }],
          [...e.wastedPaths].sort(compareWastedPaths).map((p) => [humanSize(p.wastedBytes), [...p.layers].sort((x, y) => x - y).join(', '), p.removed ? 'deleted' : 'overwritten', p.path]),
          width - INDENT.length,
          style,
        ),
      ),
    );
  }
  if (e.largestDirs.length > 0) {
    out.push('', style.bold(`Largest directories (${e.largestDirs.length})`));
    out.push(
      ...indented(
        formatTable(
          [{ header: 'SIZE', align: 'right' }, { header: 'FILES', align: 'right' }, { header: 'PATH', flexible: true, minWidth: 20 }],
          [...e.largestDirs].sort(compareDirectorySizes).map((d) => [humanSize(d.bytes), count(d.files), d.path]),
          width - INDENT.length,
          style,
        ),
      ),
    );
  }
  return out;
}

function toolLines(tools: readonly RemovableTool[], style: Style, width: number): string[] {
  if (tools.length === 0) return [style.dim('No removable tools found.')];
  const total = tools.reduce((sum, t) => sum + t.bytes, 0);
  return [
    style.bold(`Removable tools (${tools.length}, ${humanSize(total)})`),
    ...indented(
      formatTable(
        [{ header: 'CATEGORY' }, { header: 'PACKAGE' }, { header: 'SIZE', align: 'right' }, { header: 'PATHS', flexible: true, minWidth: 20 }],
        [...tools].sort(compareRemovableTools).map((t) => [t.category, t.package ?? '-', humanSize(t.bytes), [...t.paths].sort().join(', ')]),
        width - INDENT.length,
        style,
      ),
    ),
  ];
}

/** Lines to append after the findings; none when the result has no lean-image report. */
export function leanSection(r: ImageScanResult, style: Style, width: number): string[] {
  const lean = r.lean;
  if (!lean) return [];
  const out = ['', style.bold('Lean image')];
  if (lean.efficiency) out.push(...efficiencyLines(r, lean.efficiency, style, width), '');
  out.push(...toolLines(lean.removableTools, style, width));
  return out;
}

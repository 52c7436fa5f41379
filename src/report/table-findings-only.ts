import type { ImageScanResult } from '../core/scan-result.js';
import { misconfigurationSection } from './table-findings.js';
import { ansiStyle, plainStyle } from './text-table.js';

/** The table of commands that read files of rules only (k8s manifests, AWS documents): the findings, then the notices. */
export function renderFindingsTable(result: ImageScanResult, options: { color?: boolean; width?: number } = {}): string {
  const style = options.color ? ansiStyle : plainStyle;
  const width = options.width ?? (process.stdout.isTTY ? process.stdout.columns : 160);
  const out = [`${style.bold('Target')}  ${result.artifact.reference}`, ...misconfigurationSection(result, style, width, { objects: true })];
  return `${out.join('\n')}\n`;
}

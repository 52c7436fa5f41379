import { BulwarkError } from '../core/errors.js';
import type { ImageScanResult } from '../core/scan-result.js';
import type { RenderOptions, ReportFormat, Reporter } from './types.js';

export type { RenderOptions, ReportFormat, Reporter } from './types.js';

/**
 * Every output format, loaded on first use: the CycloneDX library alone costs ~150 ms of start-up,
 * which a JSON or table run should not pay.
 */
const loaders: ReadonlyMap<ReportFormat, () => Promise<Reporter>> = new Map<ReportFormat, () => Promise<Reporter>>([
  ['table', async () => (await import('./table.js')).tableReporter],
  ['json', async () => (await import('./json.js')).jsonReporter],
  ['sarif', async () => (await import('./sarif.js')).sarifReporter],
  ['cyclonedx', async () => (await import('./cyclonedx.js')).cyclonedxReporter],
  ['spdx-json', async () => (await import('./spdx.js')).spdxReporter],
]);

export const reportFormats: readonly ReportFormat[] = [...loaders.keys()];

export function isReportFormat(value: string): value is ReportFormat {
  return loaders.has(value as ReportFormat);
}

export async function loadReporter(format: ReportFormat): Promise<Reporter> {
  const load = loaders.get(format);
  if (!load) {
    throw new BulwarkError('E_USAGE', `unknown report format "${String(format)}"; expected one of ${reportFormats.join(', ')}`);
  }
  return load();
}

export async function renderReport(format: ReportFormat, result: ImageScanResult, options?: RenderOptions): Promise<string> {
  return (await loadReporter(format)).render(result, options);
}

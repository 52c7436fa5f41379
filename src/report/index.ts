import { BulwarkError } from '../core/errors.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { cyclonedxReporter } from './cyclonedx.js';
import { jsonReporter } from './json.js';
import { spdxReporter } from './spdx.js';
import { tableReporter } from './table.js';
import type { RenderOptions, ReportFormat, Reporter } from './types.js';

export type { RenderOptions, ReportFormat, Reporter } from './types.js';

export const reporters: ReadonlyMap<ReportFormat, Reporter> = new Map(
  [tableReporter, jsonReporter, cyclonedxReporter, spdxReporter].map((r) => [r.id, r] as const),
);

export const reportFormats: readonly ReportFormat[] = [...reporters.keys()];

export function isReportFormat(value: string): value is ReportFormat {
  return reporters.has(value as ReportFormat);
}

export function renderReport(format: ReportFormat, result: ImageScanResult, options?: RenderOptions): string {
  const reporter = reporters.get(format);
  if (!reporter) {
    throw new BulwarkError('E_USAGE', `unknown report format "${String(format)}"; expected one of ${reportFormats.join(', ')}`);
  }
  return reporter.render(result, options);
}

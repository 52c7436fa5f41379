import type { ImageScanResult } from '../core/scan-result.js';

export type ReportFormat = 'table' | 'json' | 'sarif' | 'cyclonedx' | 'spdx-json';

export interface RenderOptions {
  /** ANSI colour in the table output; other formats ignore it. */
  color?: boolean;
  /** Columns available to the table; defaults to the terminal width, else 80. */
  width?: number;
}

export interface Reporter {
  id: ReportFormat;
  /** Pure: the same result and options always give the same text (document ids derive from the result). */
  render(result: ImageScanResult, options?: RenderOptions): string;
}

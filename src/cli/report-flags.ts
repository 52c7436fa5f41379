import { Option, type Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { DEFAULT_LIMITS, type SizeLimits } from '../image/limits.js';
import { isReportFormat, renderReport, reportFormats } from '../report/index.js';
import { parsePositive, parseSize } from './sizes.js';
import { writeOutput } from './write-output.js';

/** Flags every scanning command shares: output format and file, and the resource limits. */
export interface ReportFlags {
  format: string;
  output?: string;
  maxLayerSize?: string;
  maxCompressionRatio?: string;
  maxFileSize?: string;
}

export function addReportFlags(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'report format').choices([...reportFormats]).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--max-layer-size <size>', `largest uncompressed layer accepted (default ${DEFAULT_LIMITS.maxLayerBytes / 1024 ** 3}GiB)`)
    .option('--max-compression-ratio <n>', `largest uncompressed:compressed ratio past 256MiB (default ${DEFAULT_LIMITS.maxCompressionRatio})`)
    .option('--max-file-size <size>', `largest package database read into memory (default ${DEFAULT_LIMITS.maxCapturedFileBytes / 1024 ** 2}MiB)`);
}

export function checkFormat(flags: ReportFlags): void {
  if (!isReportFormat(flags.format)) {
    throw new BulwarkError('E_USAGE', `--format "${flags.format}": expected one of ${reportFormats.join(', ')}`);
  }
}

export function limitsFrom(flags: ReportFlags): SizeLimits {
  return {
    ...DEFAULT_LIMITS,
    ...(flags.maxLayerSize ? { maxLayerBytes: parseSize(flags.maxLayerSize, '--max-layer-size') } : {}),
    ...(flags.maxCompressionRatio ? { maxCompressionRatio: parsePositive(flags.maxCompressionRatio, '--max-compression-ratio') } : {}),
    ...(flags.maxFileSize ? { maxCapturedFileBytes: parseSize(flags.maxFileSize, '--max-file-size') } : {}),
  };
}

/** ANSI colour only for a terminal on stdout, and never with NO_COLOR. */
export function terminalColor(output: string | undefined): boolean {
  return !output && process.stdout.isTTY === true && !process.env.NO_COLOR;
}

export async function emitReport(result: ImageScanResult, flags: ReportFlags): Promise<void> {
  checkFormat(flags);
  const color = terminalColor(flags.output);
  // A terminal gets its own width; a file or a pipe (CI logs) gets room for whole ids and titles.
  const width = !flags.output && process.stdout.isTTY ? process.stdout.columns : 160;
  const text = await renderReport(flags.format as Parameters<typeof renderReport>[0], result, { color, width });
  await writeOutput(text, flags.output);
}

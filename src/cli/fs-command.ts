import { Command } from 'commander';
import { scanDirectory } from '../scan/directory-scan.js';
import { addReportFlags, checkFormat, emitReport, limitsFrom, type ReportFlags } from './report-flags.js';

async function run(path: string, flags: ReportFlags): Promise<void> {
  checkFormat(flags);
  const result = await scanDirectory(path, { limits: limitsFrom(flags) });
  await emitReport(result, flags);
}

export function fsCommand(): Command {
  return addReportFlags(
    new Command('fs')
      .description('inventory a directory or a mounted root filesystem: OS, OS packages, language packages and lockfiles')
      .argument('<path>', 'directory to scan'),
  ).action((path: string, flags: ReportFlags) => run(path, flags));
}

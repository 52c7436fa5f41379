import { Command } from 'commander';
import { scanDirectory } from '../scan/directory-scan.js';
import { finishScan, planScan, type ScanFlags } from './finish-scan.js';
import { addPolicyFlags } from './policy-flags.js';
import { addReportFlags, checkFormat, limitsFrom } from './report-flags.js';
import { addVulnFlags } from './vuln-flags.js';
import { addCheckFlags } from './check-flags.js';

async function run(path: string, flags: ScanFlags): Promise<void> {
  checkFormat(flags);
  const plan = planScan(flags);
  const result = await scanDirectory(path, { limits: limitsFrom(flags), checks: plan.checks });
  await finishScan(result, plan);
}

export function fsCommand(): Command {
  return addCheckFlags(addPolicyFlags(addVulnFlags(addReportFlags(
    new Command('fs')
      .description('scan a directory or a mounted root filesystem: OS, OS and language packages, lockfiles, known vulnerabilities, Dockerfile misconfigurations and secrets')
      .argument('<path>', 'directory to scan'),
  )))).action((path: string, flags: ScanFlags) => run(path, flags));
}

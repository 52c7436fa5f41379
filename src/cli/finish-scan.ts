import { compareFindings } from '../core/finding.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { applyPolicy, exitCodeFor } from '../policy/filter.js';
import { targetNamesOf } from '../policy/target.js';
import { addVulnerabilities } from '../scan/vuln-scan.js';
import { exitCodeFrom, policyFrom, type PolicyFlags } from './policy-flags.js';
import { emitReport, type ReportFlags } from './report-flags.js';
import { scannersFrom, vulnOptionsFrom, type VulnFlags } from './vuln-flags.js';

export type ScanFlags = ReportFlags & VulnFlags & PolicyFlags;

const warn = (message: string): void => {
  process.stderr.write(`bulwark: warning: ${message}\n`);
};

/** Validates the scanner and policy flags before any slow work starts. */
export function checkScanFlags(flags: ScanFlags): void {
  scannersFrom(flags);
  policyFrom(flags);
  exitCodeFrom(flags);
  vulnOptionsFrom(flags, warn);
}

/**
 * What every scanning command does after the inventory: the selected scanners, then the policy
 * (severity, unfixed, ignore files, VEX), the report, and the exit code the policy asks for.
 */
export async function finishScan(inventory: ImageScanResult, flags: ScanFlags): Promise<void> {
  const scanners = scannersFrom(flags);
  const policy = policyFrom(flags);
  let result = inventory;
  if (scanners.includes('vuln')) result = await addVulnerabilities(result, vulnOptionsFrom(flags, warn));
  const outcome = applyPolicy(result.findings, { ...policy, targetNames: targetNamesOf(result.artifact) });
  for (const message of outcome.warnings) warn(message);
  await emitReport({ ...result, findings: [...outcome.findings].sort(compareFindings) }, flags);
  process.exitCode = exitCodeFor(outcome, exitCodeFrom(flags));
}

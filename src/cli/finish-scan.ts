import { compareFindings } from '../core/finding.js';
import type { ImageScanResult, ScannerId } from '../core/scan-result.js';
import type { FindingPolicy } from '../policy/filter.js';
import { applyPolicy, exitCodeFor } from '../policy/filter.js';
import { targetNamesOf } from '../policy/target.js';
import { addVulnerabilities, type VulnScanOptions } from '../scan/vuln-scan.js';
import { exitCodeFrom, policyFrom, type PolicyFlags } from './policy-flags.js';
import { emitReport, type ReportFlags } from './report-flags.js';
import { scannersFrom, vulnOptionsFrom, type VulnFlags } from './vuln-flags.js';
import { checkOptionsFrom, type CheckFlags } from './check-flags.js';
import type { CheckOptions } from '../scan/checks.js';

export type ScanFlags = ReportFlags & VulnFlags & PolicyFlags & CheckFlags;

const warn = (message: string): void => {
  process.stderr.write(`bulwark: warning: ${message}\n`);
};

/** The scan flags, validated and loaded (ignore files, VEX documents) once, before any slow work starts. */
export interface ScanPlan {
  scanners: ScannerId[];
  policy: FindingPolicy;
  exitCode: number;
  vuln: VulnScanOptions;
  /** The misconfig and secret scanners' settings, for the walk. */
  checks: CheckOptions;
  flags: ScanFlags;
}

export function planScan(flags: ScanFlags): ScanPlan {
  const scanners = scannersFrom(flags);
  return {
    scanners,
    policy: policyFrom(flags),
    exitCode: exitCodeFrom(flags),
    vuln: vulnOptionsFrom(flags, warn),
    checks: checkOptionsFrom(flags, scanners),
    flags,
  };
}

/**
 * What every scanning command does after the inventory: the selected scanners, then the policy
 * (severity, unfixed, ignore files, VEX), the report, and the exit code the policy asks for.
 */
export async function finishScan(inventory: ImageScanResult, plan: ScanPlan): Promise<void> {
  let result = inventory;
  if (plan.scanners.includes('vuln')) result = await addVulnerabilities(result, plan.vuln);
  await gateAndEmit(result, plan.policy, plan.exitCode, targetNamesOf(result.artifact), (shown) => emitReport(shown, plan.flags));
}

/**
 * The end of every command that reports findings: the policy (filters, ignore files, VEX) with its
 * warnings, the report of what is left, in report order, and the exit code the policy asks for.
 */
export async function gateAndEmit(
  result: ImageScanResult,
  policy: FindingPolicy,
  exitCode: number,
  targetNames: string[],
  emit: (shown: ImageScanResult) => Promise<void>,
): Promise<void> {
  const outcome = applyPolicy(result.findings, { ...policy, targetNames });
  for (const message of outcome.warnings) warn(message);
  await emit({ ...result, findings: [...outcome.findings].sort(compareFindings) });
  process.exitCode = exitCodeFor(outcome, exitCode);
}

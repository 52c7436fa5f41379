import { Option, type Command } from 'commander';
import type { Finding } from '../core/finding.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult, type ManifestSourceKind } from '../core/scan-result.js';
import type { Notice } from '../core/package.js';
import { toolVersion } from '../core/version.js';
import type { FindingPolicy } from '../policy/filter.js';
import { renderReport } from '../report/index.js';
import { renderFindingsTable } from '../report/table-findings-only.js';
import { gateAndEmit } from './finish-scan.js';
import { addPolicyFlags, exitCodeFrom, policyFrom, type PolicyFlags } from './policy-flags.js';
import { terminalColor } from './report-flags.js';
import { writeOutput } from './write-output.js';

export type ManifestFlags = PolicyFlags & { format: 'table' | 'json' | 'sarif'; output?: string };

/** The output and gating flags `bulwark k8s` and `bulwark cloud` share. */
export function addManifestFlags(command: Command): Command {
  return addPolicyFlags(
    command
      .addOption(new Option('-f, --format <format>', 'report format').choices(['table', 'json', 'sarif']).default('table'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout'),
  );
}

export interface ManifestScan {
  target: string;
  source: ManifestSourceKind;
  findings: Finding[];
  notices: Notice[];
}

export interface ManifestGate {
  policy: FindingPolicy;
  exitCode: number;
}

/** The policy flags validated and loaded (ignore files) before any slow work, such as reading a live cluster. */
export function manifestGate(flags: ManifestFlags): ManifestGate {
  return { policy: policyFrom(flags), exitCode: exitCodeFrom(flags) };
}

/** Policy, report and exit code for findings about manifests, clusters, nodes or AWS resources. */
export async function finishManifestScan(scan: ManifestScan, flags: ManifestFlags, gate: ManifestGate): Promise<void> {
  const { policy, exitCode } = gate;
  for (const n of scan.notices) process.stderr.write(`bulwark: ${n.level}: ${n.message}\n`);
  const result: ImageScanResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: { reference: scan.target, source: scan.source, repoTags: [], repoDigests: [], layers: [] },
    packages: [],
    notices: scan.notices,
    scanners: ['misconfig'],
    findings: scan.findings,
  };
  await gateAndEmit(result, policy, exitCode, [scan.target], async (shown) => {
    const color = terminalColor(flags.output);
    const text = flags.format === 'table' ? renderFindingsTable(shown, { color }) : await renderReport(flags.format, shown, { color, width: 160 });
    await writeOutput(text, flags.output);
  });
}

import { Option, type Command } from 'commander';
import { compareFindings, type Finding } from '../core/finding.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import type { Notice } from '../core/package.js';
import { toolVersion } from '../core/version.js';
import { applyPolicy, exitCodeFor } from '../policy/filter.js';
import { renderReport } from '../report/index.js';
import { renderFindingsTable } from '../report/table-findings-only.js';
import { addPolicyFlags, exitCodeFrom, policyFrom, type PolicyFlags } from './policy-flags.js';
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

/** Policy, report and exit code for findings read from files (manifests, AWS documents). */
export async function finishManifestScan(target: string, findings: Finding[], notices: Notice[], flags: ManifestFlags): Promise<void> {
  const policy = policyFrom(flags);
  const exitCode = exitCodeFrom(flags);
  for (const n of notices) process.stderr.write(`bulwark: ${n.level}: ${n.message}\n`);
  const result: ImageScanResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: { reference: target, source: 'directory', repoTags: [], repoDigests: [], layers: [] },
    packages: [],
    notices,
    scanners: ['misconfig'],
    findings,
  };
  const outcome = applyPolicy(findings, { ...policy, targetNames: [target] });
  const shown = { ...result, findings: [...outcome.findings].sort(compareFindings) };
  const color = !flags.output && process.stdout.isTTY && !process.env.NO_COLOR;
  const text = flags.format === 'table' ? renderFindingsTable(shown, { color }) : await renderReport(flags.format, shown, { color, width: 160 });
  await writeOutput(text, flags.output);
  process.exitCode = exitCodeFor(outcome, exitCode);
}

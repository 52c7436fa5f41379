import { isAbsolute, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Finding } from '../core/finding.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import { lintDockerfileFile } from '../modules/rules/dockerfile/index.js';
import { renderReport, reportFormats } from '../report/index.js';
import { renderDockerfileTable } from '../report/table-dockerfile.js';
import { exitCodeFrom, policyFrom, addPolicyFlags, type PolicyFlags } from './policy-flags.js';
import { writeOutput } from './write-output.js';
import { gateAndEmit } from './finish-scan.js';
import { terminalColor } from './report-flags.js';

type DockerfileFlags = PolicyFlags & { format: string; output?: string };

/** Paths inside the working directory stay relative (SARIF viewers resolve them against the checkout). */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(path);
}

async function run(paths: string[], flags: DockerfileFlags): Promise<void> {
  const policy = policyFrom(flags);
  const exitCode = exitCodeFrom(flags);
  const findings: Finding[] = [];
  // Every file is read and parsed before anything is printed: a bad one fails the run, never a partial report.
  for (const path of paths) {
    const shown = displayPath(path);
    for (const f of await lintDockerfileFile(path)) findings.push({ ...f, target: shown, location: { ...f.location, path: shown } });
  }
  const result: ImageScanResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: { reference: process.cwd(), source: 'directory', repoTags: [], repoDigests: [], layers: [] },
    packages: [],
    notices: [],
    scanners: ['misconfig'],
    findings,
  };
  await gateAndEmit(result, policy, exitCode, paths.map(displayPath), async (shown) => {
    const color = terminalColor(flags.output);
    const text =
      flags.format === 'table'
        ? renderDockerfileTable(shown, paths.map(displayPath), { color })
        : await renderReport(flags.format as Parameters<typeof renderReport>[0], shown, { color, width: 160 });
    await writeOutput(text, flags.output);
  });
}

export function dockerfileCommand(): Command {
  const formats = reportFormats.filter((f) => f === 'table' || f === 'json' || f === 'sarif');
  return addPolicyFlags(
    new Command('dockerfile')
      .description('lint Dockerfiles before they are built: security and size rules, hadolint DL ids, inline ignores')
      .argument('<path...>', 'Dockerfiles to lint')
      .addOption(new Option('-f, --format <format>', 'report format').choices(formats).default('table'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout'),
  ).action((paths: string[], flags: DockerfileFlags) => run(paths, flags));
}

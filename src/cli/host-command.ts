import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { fetchEngineFacts } from '../host/engine.js';
import { buildHostView } from '../host/view.js';
import { hostChecks } from '../modules/rules/host/index.js';
import { renderDockerBenchJson } from '../report/docker-bench.js';
import { renderReport } from '../report/index.js';
import { renderHostTable } from '../report/table-host.js';
import { auditHost } from '../scan/host-audit.js';
import { addPolicyFlags, exitCodeFrom, policyFrom, type PolicyFlags } from './policy-flags.js';
import { parseDuration } from './sizes.js';
import { writeOutput } from './write-output.js';
import { gateAndEmit } from './finish-scan.js';
import { terminalColor } from './report-flags.js';

const FORMATS = ['table', 'json', 'sarif', 'docker-bench-json'] as const;

type HostFlags = PolicyFlags & { root?: string; dockerHost?: string; timeout: string; format: (typeof FORMATS)[number]; output?: string };

async function run(flags: HostFlags): Promise<void> {
  const started = new Date();
  const policy = policyFrom(flags);
  const exitCode = exitCodeFrom(flags);
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const root = resolve(flags.root ?? '/');
  const isDir = await stat(root).then((st) => st.isDirectory(), () => false);
  if (!isDir) throw new BulwarkError('E_USAGE', `--root ${flags.root}: no such directory`);
  const engine = await fetchEngineFacts({ dockerHost: flags.dockerHost, timeoutMs });
  const view = await buildHostView({ root, ...(engine ? { engine } : {}) });
  const target = root === '/' ? hostname() : root;
  const result = await auditHost(view, { target, checks: hostChecks() });
  await gateAndEmit(result, policy, exitCode, [target], async (shown) => {
    const color = terminalColor(flags.output);
    const text =
      flags.format === 'table'
        ? renderHostTable(shown, { color })
        : flags.format === 'docker-bench-json'
          ? renderDockerBenchJson(shown, started)
          : await renderReport(flags.format, shown, { color, width: 160 });
    await writeOutput(text, flags.output);
  });
}

export function hostCommand(): Command {
  return addPolicyFlags(
    new Command('host')
      .description('audit a Docker host: CIS Docker Benchmark v1.6 (daemon, files, images, running containers) and the host footprint')
      .option('--root <dir>', 'audit a host filesystem mounted here (e.g. /host in a DaemonSet) instead of /')
      .option('--docker-host <address>', 'Docker engine address, e.g. unix:///var/run/docker.sock (or DOCKER_HOST)')
      .option('--timeout <duration>', 'bound on every Engine API call', '30s')
      .addOption(new Option('-f, --format <format>', 'report format').choices([...FORMATS]).default('table'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout'),
  ).action((flags: HostFlags) => run(flags));
}

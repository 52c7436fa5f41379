import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { Notice } from '../core/package.js';
import { BulwarkError } from '../core/errors.js';
import { loadAwsDocuments } from '../cloud/load.js';
import type { AwsResource } from '../cloud/types.js';
import { checkAws } from '../modules/rules/cloud/index.js';
import { readInputs } from '../scan/input-files.js';
import { addManifestFlags, finishManifestScan, manifestGate, type ManifestFlags } from './manifest-scan.js';
import { parseDuration } from './sizes.js';

type CloudFlags = ManifestFlags & {
  live?: boolean;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  cluster?: string[];
  timeout: string;
  saveBundle?: string;
};

const warning = (message: string): Notice => ({ level: 'warning', detector: 'aws', message });

async function run(paths: string[], flags: CloudFlags): Promise<void> {
  const gate = manifestGate(flags);
  const live = flags.live === true;
  if (!live && paths.length === 0) throw new BulwarkError('E_USAGE', 'bulwark cloud: name AWS CLI JSON documents (or -), or read an account with --live');
  if (!live) {
    for (const flag of ['region', 'profile', 'endpointUrl', 'cluster', 'saveBundle'] as const) {
      if (flags[flag] !== undefined) throw new BulwarkError('E_USAGE', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --live`);
    }
  }
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const resources: AwsResource[] = [];
  const notices: Notice[] = [];
  const targets: string[] = [...paths];
  for (const file of await readInputs(paths, (name) => /\.json$/i.test(name))) {
    const loaded = loadAwsDocuments(file.path, file.text);
    resources.push(...loaded.resources);
    notices.push(...loaded.warnings.map(warning));
  }
  if (live) {
    const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new BulwarkError('E_USAGE', '--live needs a region: --region, AWS_REGION or AWS_DEFAULT_REGION');
    // The SDK's notice that its 2027 releases need Node 22 is for the SDK's maintainers, not our users.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { collectAwsDocuments } = await import('../cloud/live/index.js');
    const collected = await collectAwsDocuments({
      region,
      timeoutMs,
      ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.cluster?.length ? { clusters: flags.cluster } : {}),
      onProgress: (message) => {
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${message}`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
    notices.push(...collected.warnings.map(warning));
    const text = `${JSON.stringify(collected.bundle, null, 2)}\n`;
    // Findings point into the saved bundle (file and line), so it can be read and re-checked offline.
    if (flags.saveBundle) await writeFile(flags.saveBundle, text);
    const name = flags.saveBundle ?? `aws:${collected.account ?? 'account'}:${region}`;
    const loaded = loadAwsDocuments(name, text);
    resources.push(...(flags.saveBundle ? loaded.resources : loaded.resources.map(withoutLines)));
    notices.push(...loaded.warnings.map(warning));
    targets.push(`aws:${collected.account ?? 'account'}:${region}`);
  }
  const target = targets.join(' ');
  await finishManifestScan({ target, source: live ? 'aws-account' : 'aws-documents', findings: checkAws(resources, target), notices }, flags, gate);
}

/** A resource read from a bundle that was never written anywhere: its line numbers would point nowhere. */
function withoutLines(resource: AwsResource): AwsResource {
  const { line: _line, ...source } = resource.source;
  return { ...resource, source: { ...source, lineOf: () => undefined } };
}

export function cloudCommand(): Command {
  return addManifestFlags(
    new Command('cloud')
      .description('check AWS container services (ECS, Fargate, IAM task roles, security groups, ECR) from AWS CLI JSON or a live account')
      .argument('[path...]', 'AWS CLI JSON documents, directories of them, or - for standard input')
      .option('--live', 'read the account with the AWS SDK (read-only Describe/List/Get calls) instead of, or besides, files')
      .option('--region <region>', 'region to read with --live (default AWS_REGION or AWS_DEFAULT_REGION)')
      .option('--profile <name>', 'shared-config profile for --live (default: the SDK credential chain)')
      .option('--endpoint-url <url>', 'send --live calls to this endpoint (LocalStack, a recorded-answer server)')
      .addOption(new Option('--cluster <name...>', 'ECS clusters to read with --live (default: every cluster of the region)'))
      .option('--save-bundle <file>', 'with --live: write what was read as a bundle file; findings point into it')
      .option('--timeout <duration>', 'bound on every AWS call', '10s'),
  ).action((paths: string[], flags: CloudFlags) => run(paths, flags));
}

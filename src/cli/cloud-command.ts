import { Command } from 'commander';
import type { Notice } from '../core/package.js';
import { loadAwsDocuments } from '../cloud/load.js';
import type { AwsResource } from '../cloud/types.js';
import { checkAws } from '../modules/rules/cloud/index.js';
import { readInputs } from '../scan/input-files.js';
import { addManifestFlags, finishManifestScan, type ManifestFlags } from './manifest-scan.js';

async function run(paths: string[], flags: ManifestFlags): Promise<void> {
  const files = await readInputs(paths, (name) => /\.json$/i.test(name));
  const resources: AwsResource[] = [];
  const notices: Notice[] = [];
  for (const file of files) {
    const loaded = loadAwsDocuments(file.path, file.text);
    resources.push(...loaded.resources);
    for (const w of loaded.warnings) notices.push({ level: 'warning', detector: 'aws', message: w });
  }
  const target = paths.join(' ');
  await finishManifestScan(target, checkAws(resources, target), notices, flags);
}

export function cloudCommand(): Command {
  return addManifestFlags(
    new Command('cloud')
      .description('check AWS container services from the JSON the AWS CLI prints: ECS, IAM, security groups, ECR')
      .argument('<path...>', 'AWS CLI JSON documents, directories of them, or - for standard input'),
  ).action((paths: string[], flags: ManifestFlags) => run(paths, flags));
}

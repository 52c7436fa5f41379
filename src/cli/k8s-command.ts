import { Command } from 'commander';
import type { Notice } from '../core/package.js';
import { loadManifests } from '../k8s/load.js';
import type { K8sObject } from '../k8s/types.js';
import { checkPodSecurity } from '../modules/rules/k8s/pss/index.js';
import { checkRbac } from '../modules/rules/k8s/rbac/index.js';
import { checkWorkloads } from '../modules/rules/k8s/workload/index.js';
import { readInputs } from '../scan/input-files.js';
import { addManifestFlags, finishManifestScan, type ManifestFlags } from './manifest-scan.js';

async function run(paths: string[], flags: ManifestFlags): Promise<void> {
  const files = await readInputs(paths, (name) => /\.(ya?ml|json)$/i.test(name));
  const objects: K8sObject[] = [];
  const notices: Notice[] = [];
  for (const file of files) {
    const loaded = loadManifests(file.path, file.text);
    objects.push(...loaded.objects);
    for (const w of loaded.warnings) notices.push({ level: 'warning', detector: 'k8s', message: w });
  }
  const target = paths.join(' ');
  const findings = [...checkPodSecurity(objects, target), ...checkWorkloads(objects, target), ...checkRbac(objects, target)];
  await finishManifestScan(target, findings, notices, flags);
}

export function k8sCommand(): Command {
  return addManifestFlags(
    new Command('k8s')
      .description('check Kubernetes manifests and cluster snapshots: Pod Security Standards, workload hygiene, RBAC')
      .argument('<path...>', 'YAML or JSON manifests, directories of them, or - for standard input'),
  ).action((paths: string[], flags: ManifestFlags) => run(paths, flags));
}

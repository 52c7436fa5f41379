import { renderRulePackMarkdown, type RulePackDoc } from './docs.js';
import { allRulePacks } from './registry.js';

const REGENERATE = 'node --import tsx test/rules/gen-pack-docs.ts';

/** The docs/rules pages of the orchestrator, cloud and registry packs, by pack id. */
export const PACK_DOCS: Readonly<Record<string, RulePackDoc & { file: string }>> = {
  pss: {
    file: 'docs/rules/pss.md',
    title: 'Kubernetes Pod Security Standards',
    source: 'src/modules/rules/k8s/pss/controls/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark k8s` on every pod template: Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,',
      'Jobs and CronJobs, from manifests, snapshots or a live cluster. One rule per control of the Pod Security',
      'Standards, named as the Pod Security Admission source names them (`pss:<control>`), with the level it',
      'belongs to (`pss-level:baseline` or `pss-level:restricted`). Container settings override pod settings,',
      'init and ephemeral containers are checked, and `hostUsers: false` exempts what the standard exempts.',
      'Select a level with `--ignorefile` or by filtering on the `pss-level:` alias.',
    ],
  },
  'k8s-workload': {
    file: 'docs/rules/k8s-workload.md',
    title: 'Kubernetes workload hygiene',
    source: 'src/modules/rules/k8s/workload/rules/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark k8s` on workloads, Services and namespaces. Aliases are the same checks in Checkov',
      '(`CKV_K8S_*`), Kubescape (`C-*`) and the CIS Kubernetes Benchmark section 5 (`CIS-K8S-5.*`).',
    ],
  },
  'k8s-rbac': {
    file: 'docs/rules/k8s-rbac.md',
    title: 'Kubernetes RBAC',
    source: 'src/modules/rules/k8s/rbac/rules/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark k8s` on Roles, ClusterRoles and their bindings: grants that let a subject take over',
      'the cluster or read what it should not. Aliases: Kubescape (`C-*`), Checkov (`CKV_K8S_*`), CIS Kubernetes',
      'Benchmark section 5.1 (`CIS-K8S-5.1.*`).',
    ],
  },
  'k8s-orchestrator': {
    file: 'docs/rules/k8s-orchestrator.md',
    title: 'Kubernetes version, control plane and kubelet',
    source: 'src/modules/rules/k8s/orchestrator/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark k8s`: the cluster version (from `--k8s-version`, a snapshot\'s or a live cluster\'s',
      'nodes) against the end-of-life data in data/k8s/, and, with `--root`, the control-plane static pod',
      'manifests under /etc/kubernetes/manifests and the kubelet configuration of a node. Aliases are CIS',
      'Kubernetes Benchmark ids (`CIS-K8S-*`).',
    ],
  },
  'k8s-binaries': {
    file: 'docs/rules/k8s-binaries.md',
    title: 'Kubernetes binaries against release checksums',
    source: 'src/k8s/verify-binaries/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark k8s verify-binaries DIR --checksums FILE|DIR`: every Kubernetes binary in DIR against',
      'the sha256 or sha512 checksum files the Kubernetes release publishes (dl.k8s.io), so that what runs is',
      'what the project built.',
    ],
  },
  'registry-audit': {
    file: 'docs/rules/registry-audit.md',
    title: 'Registry audit',
    source: 'src/modules/rules/registry-audit/rules/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark registry audit URL`: whether the registry is open to anonymous clients (the API, the',
      'catalog, pulls), its transport and certificate, its server version, what it stores besides container',
      'images, and whether its images are signed, current, tagged and on a supported base OS. `--public` says the',
      'registry is meant to be public, and anonymous-access findings drop to LOW.',
    ],
  },
  cloud: {
    file: 'docs/rules/cloud.md',
    title: 'AWS container services',
    source: 'src/modules/rules/cloud/rules/',
    regenerate: REGENERATE,
    intro: [
      'Checked by `bulwark cloud` on the JSON documents the AWS CLI prints (or a live account read with the AWS',
      'SDK): ECS task definitions and services, IAM roles and policies of the tasks, security groups and ECR',
      'repositories. Aliases are the same checks in Prowler (`ecs_*`, `iam_*`, `ec2_*`, `ecr_*`) and Checkov (`CKV_AWS_*`).',
    ],
  },
};

/** Each documented pack's page, for the packs that are registered. */
export function renderPackDocs(): { file: string; text: string }[] {
  return allRulePacks()
    .filter((pack) => pack.id in PACK_DOCS)
    .map((pack) => {
      const { file, ...doc } = PACK_DOCS[pack.id]!;
      return { file, text: renderRulePackMarkdown(doc, pack.rules()) };
    });
}

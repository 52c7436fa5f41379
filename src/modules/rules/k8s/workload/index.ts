import { compareFindings, type Finding } from '../../../../core/finding.js';
import type { K8sObject } from '../../../../k8s/types.js';
import type { RuleMeta, RulePack } from '../../types.js';
import { makeK8sContext, type K8sRule } from './support.js';
import { rule as automountToken } from './rules/automount-token.js';
import { rule as defaultNamespace } from './rules/default-namespace.js';
import { rule as exposedService } from './rules/exposed-service.js';
import { rule as imageDigest } from './rules/image-digest.js';
import { rule as imageTag } from './rules/image-tag.js';
import { rule as literalSecretEnv } from './rules/literal-secret-env.js';
import { rule as livenessProbe } from './rules/liveness-probe.js';
import { rule as networkPolicy } from './rules/network-policy.js';
import { rule as pullPolicy } from './rules/pull-policy.js';
import { rule as readOnlyRoot } from './rules/read-only-root.js';
import { rule as readinessProbe } from './rules/readiness-probe.js';
import { rule as resourceLimits } from './rules/resource-limits.js';
import { rule as resourceRequests } from './rules/resource-requests.js';
import { rule as runtimeSocket } from './rules/runtime-socket.js';

export type { K8sCheckContext, K8sRule } from './support.js';
export { makeK8sContext, resourceOf, fieldPathText } from './support.js';

/** Workload hygiene rules (BW-K8S-001..), in id order. */
export const WORKLOAD_RULES: readonly K8sRule[] = [
  resourceLimits,
  resourceRequests,
  imageTag,
  imageDigest,
  pullPolicy,
  livenessProbe,
  readinessProbe,
  automountToken,
  runtimeSocket,
  readOnlyRoot,
  literalSecretEnv,
  defaultNamespace,
  exposedService,
  networkPolicy,
];

export function workloadRules(): RuleMeta[] {
  return WORKLOAD_RULES.map((r) => r.meta);
}

export const workloadPack: RulePack = { id: 'k8s-workload', rules: workloadRules };

/** Runs every workload rule over the input's objects; findings in report order. */
export function checkWorkloads(objects: readonly K8sObject[], target: string): Finding[] {
  const ctx = makeK8sContext(target);
  return WORKLOAD_RULES.flatMap((r) => r.check(objects, ctx)).sort(compareFindings);
}

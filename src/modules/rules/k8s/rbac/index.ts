import { compareFindings, type Finding } from '../../../../core/finding.js';
import type { K8sObject } from '../../../../k8s/types.js';
import type { RuleMeta, RulePack } from '../../types.js';
import { makeK8sContext, type K8sRule } from '../workload/support.js';
import { rule as anonymousSubjects } from './rules/anonymous-subjects.js';
import { rule as authenticatedSubjects } from './rules/authenticated-subjects.js';
import { rule as clusterAdmin } from './rules/cluster-admin.js';
import { rule as createWorkloads } from './rules/create-workloads.js';
import { rule as escalateBindImpersonate } from './rules/escalate-bind-impersonate.js';
import { rule as execAttach } from './rules/exec-attach.js';
import { rule as nodesProxy } from './rules/nodes-proxy.js';
import { rule as secretsClusterWide } from './rules/secrets-cluster-wide.js';
import { rule as wildcard } from './rules/wildcard.js';

/** RBAC rules (BW-K8S-101..), in id order. */
export const RBAC_RULES: readonly K8sRule[] = [
  wildcard,
  clusterAdmin,
  execAttach,
  secretsClusterWide,
  escalateBindImpersonate,
  nodesProxy,
  createWorkloads,
  anonymousSubjects,
  authenticatedSubjects,
];

export function rbacRules(): RuleMeta[] {
  return RBAC_RULES.map((r) => r.meta);
}

export const rbacPack: RulePack = { id: 'k8s-rbac', rules: rbacRules };

/** Runs every RBAC rule over the input's objects (bindings resolved to roles across all of them); findings in report order. */
export function checkRbac(objects: readonly K8sObject[], target: string): Finding[] {
  const ctx = makeK8sContext(target);
  return RBAC_RULES.flatMap((r) => r.check(objects, ctx)).sort(compareFindings);
}

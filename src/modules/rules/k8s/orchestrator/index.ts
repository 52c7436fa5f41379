import { compareFindings, type Finding } from '../../../../core/finding.js';
import type { ControlPlaneInput } from '../../../../k8s/orchestrator/control-plane.js';
import type { RuleMeta, RulePack } from '../../types.js';
import { makeOrchestratorContext, type ControlPlaneRule } from './support.js';
import { versionFacts, type VersionCheckInput, type VersionRule } from './version-facts.js';
import { rule as versionEol } from './rules/version-eol.js';
import { rule as versionNearEol } from './rules/version-near-eol.js';
import { rule as versionPatch } from './rules/version-patch.js';
import { rule as versionSkew } from './rules/version-skew.js';
import { rule as apiserverAnonymousAuth } from './rules/apiserver-anonymous-auth.js';
import { rule as apiserverAlwaysAllow } from './rules/apiserver-always-allow.js';
import { rule as apiserverNodeRbac } from './rules/apiserver-node-rbac.js';
import { rule as apiserverAlwaysAdmit } from './rules/apiserver-always-admit.js';
import { rule as apiserverNodeRestriction } from './rules/apiserver-node-restriction.js';
import { rule as apiserverInsecurePort } from './rules/apiserver-insecure-port.js';
import { rule as profiling } from './rules/profiling.js';
import { rule as auditLogPath } from './rules/audit-log-path.js';
import { rule as auditLogRetention } from './rules/audit-log-retention.js';
import { rule as apiserverEtcdTls } from './rules/apiserver-etcd-tls.js';
import { rule as etcdClientTls } from './rules/etcd-client-tls.js';
import { rule as etcdClientCertAuth } from './rules/etcd-client-cert-auth.js';
import { rule as etcdAutoTls } from './rules/etcd-auto-tls.js';
import { rule as etcdPeerTls } from './rules/etcd-peer-tls.js';
import { rule as kubeletAnonymousAuth } from './rules/kubelet-anonymous-auth.js';
import { rule as kubeletAuthorizationMode } from './rules/kubelet-authorization-mode.js';
import { rule as kubeletClientCa } from './rules/kubelet-client-ca.js';
import { rule as kubeletReadOnlyPort } from './rules/kubelet-read-only-port.js';
import { rule as kubeletProtectKernelDefaults } from './rules/kubelet-protect-kernel-defaults.js';

export type { ControlPlaneRule, OrchestratorContext, Where } from './support.js';
export { makeOrchestratorContext } from './support.js';
export { DEFAULT_EOL_WARN_DAYS, type NodeVersionRef, type VersionCheckInput, type VersionFacts, type VersionRule } from './version-facts.js';

/** Kubernetes version rules (BW-K8S-201..), in id order. */
export const VERSION_RULES: readonly VersionRule[] = [versionEol, versionNearEol, versionPatch, versionSkew];

/** Control-plane and kubelet configuration rules (BW-K8S-301..), in id order. */
export const CONTROL_PLANE_RULES: readonly ControlPlaneRule[] = [
  apiserverAnonymousAuth,
  apiserverAlwaysAllow,
  apiserverNodeRbac,
  apiserverAlwaysAdmit,
  apiserverNodeRestriction,
  apiserverInsecurePort,
  profiling,
  auditLogPath,
  auditLogRetention,
  apiserverEtcdTls,
  etcdClientTls,
  etcdClientCertAuth,
  etcdAutoTls,
  etcdPeerTls,
  kubeletAnonymousAuth,
  kubeletAuthorizationMode,
  kubeletClientCa,
  kubeletReadOnlyPort,
  kubeletProtectKernelDefaults,
];

export const ORCHESTRATOR_RULES: readonly { meta: RuleMeta }[] = [...VERSION_RULES, ...CONTROL_PLANE_RULES];

export function orchestratorRules(): RuleMeta[] {
  return ORCHESTRATOR_RULES.map((r) => r.meta);
}

export const orchestratorPack: RulePack = { id: 'k8s-orchestrator', rules: orchestratorRules };

export interface OrchestratorResult {
  findings: Finding[];
  /** One line each, naming the object or file: versions that could not be judged. */
  warnings: string[];
}

/** Judges the cluster version (explicit, or from Node objects) and the kubelets' skew against the end-of-life data. */
export function checkKubernetesVersion(input: VersionCheckInput, target: string): OrchestratorResult {
  const warnings: string[] = [];
  const facts = versionFacts(input, warnings);
  const ctx = makeOrchestratorContext(target);
  return { findings: VERSION_RULES.flatMap((r) => r.check(facts, ctx)).sort(compareFindings), warnings };
}

/** Runs the control-plane and kubelet rules over what readControlPlane() found. */
export function checkControlPlane(input: ControlPlaneInput, target: string): Finding[] {
  const ctx = makeOrchestratorContext(target);
  return CONTROL_PLANE_RULES.flatMap((r) => r.check(input, ctx)).sort(compareFindings);
}

import { ruleFinding } from '../../rule-finding.js';
import type { Finding } from '../../../../core/finding.js';
import type { ComponentConfig, ControlPlaneComponent, ControlPlaneInput, KubeletSettings } from '../../../../k8s/orchestrator/control-plane.js';
import type { FlagSetting } from '../../../../k8s/orchestrator/flags.js';
import type { RuleMeta } from '../../types.js';

export { defineMeta } from '../../meta.js';
export { CIS_KUBERNETES, K8S_DOCS } from '../workload/support.js';

export const KUBE_BENCH = 'https://github.com/aquasecurity/kube-bench';
export const APISERVER_REF = 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/';
export const ETCD_SECURITY = 'https://etcd.io/docs/v3.5/op-guide/security/';
export const KUBELET_CONFIG_REF = 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/';
export const KUBELET_AUTH = 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/';
export const VERSION_SKEW = 'https://kubernetes.io/releases/version-skew-policy/';
export const K8S_RELEASES = 'https://kubernetes.io/releases/';
export const EOL_KUBERNETES = 'https://endoflife.date/kubernetes';

export interface Where {
  path?: string;
  line?: number;
  resource: string;
}

export interface OrchestratorContext {
  target: string;
  finding(meta: RuleMeta, where: Where, message: string, subject?: string): Finding;
}

export function makeOrchestratorContext(target: string): OrchestratorContext {
  return {
    target,
    finding(meta, where, message, subject) {
      const location: Finding['location'] = { resource: where.resource };
      if (where.path !== undefined) location.path = where.path;
      if (where.line !== undefined) location.line = where.line;
      return ruleFinding(meta, { stackLayer: 'orchestrator', target, location, description: message, about: [where.resource, subject ?? ''] });
    },
  };
}

export interface ControlPlaneRule {
  meta: RuleMeta;
  check(input: ControlPlaneInput, ctx: OrchestratorContext): Finding[];
}

/** Where a flag of a component is set, or the component's command when it is not. */
export function flagWhere(c: ComponentConfig, flag: string): Where {
  const set = c.flags.get(flag);
  return { path: set?.file ?? c.file, line: set?.line ?? c.line, resource: `${c.component}#--${flag}` };
}

export function flag(c: ComponentConfig, name: string): FlagSetting | undefined {
  return c.flags.get(name);
}

/** Runs `check` for each listed component present in the input. */
export function eachComponent(input: ControlPlaneInput, names: readonly ControlPlaneComponent[], check: (c: ComponentConfig) => Finding[]): Finding[] {
  return names.flatMap((n) => {
    const c = input.components.get(n);
    return c ? check(c) : [];
  });
}

/** A kubelet setting as the kubelet would resolve it: flag, else config file field, else the default that applies. */
export interface KubeletValue {
  value: string;
  /** "--anonymous-auth=true (kubeadm-flags.env)", "authentication.anonymous.enabled: true", "unset (KubeletConfiguration default false)". */
  said: string;
  where: Where;
}

export function kubeletValue(
  k: KubeletSettings,
  opts: { flag: string; path: readonly string[]; configDefault: string; flagDefault: string },
): KubeletValue {
  const key = opts.path.join('.');
  const set = k.flags.get(opts.flag);
  if (set) return { value: set.value, said: `--${opts.flag}=${set.value} is set on the command line`, where: { path: set.file, ...(set.line !== undefined ? { line: set.line } : {}), resource: `kubelet#--${opts.flag}` } };
  if (k.configFile !== undefined) {
    let v: unknown = k.config;
    for (const seg of opts.path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined;
    const line = k.lineOf(opts.path);
    const where: Where = { path: k.configFile, ...(line !== undefined ? { line } : {}), resource: `kubelet#${key}` };
    if (v !== undefined && v !== null && typeof v !== 'object') return { value: String(v), said: `${key} is ${String(v)} in the KubeletConfiguration`, where };
    return { value: opts.configDefault, said: `${key} is not set, and the KubeletConfiguration default is ${opts.configDefault}`, where };
  }
  return {
    value: opts.flagDefault,
    said: `there is no KubeletConfiguration file and --${opts.flag} is not set, so the flag default ${opts.flagDefault} applies`,
    where: { resource: `kubelet#--${opts.flag}` },
  };
}

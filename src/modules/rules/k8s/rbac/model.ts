import type { K8sObject } from '../../../../k8s/types.js';
import { at, isRecord, records, strings } from '../workload/support.js';

export const RBAC_DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
export const RBAC_GOOD_PRACTICES = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

export function isRbac(o: K8sObject, kind: string): boolean {
  return o.kind === kind && o.apiVersion.startsWith('rbac.authorization.k8s.io/');
}

export function isRole(o: K8sObject): boolean {
  return isRbac(o, 'Role') || isRbac(o, 'ClusterRole');
}

export function isBinding(o: K8sObject): boolean {
  return isRbac(o, 'RoleBinding') || isRbac(o, 'ClusterRoleBinding');
}

/** Roles and bindings the API server creates itself (label kubernetes.io/bootstrapping=rbac-defaults); not the user's doing. */
export function isBootstrap(o: K8sObject): boolean {
  return at(o.value, ['metadata', 'labels', 'kubernetes.io/bootstrapping']) === 'rbac-defaults';
}

/** One rule of a Role or ClusterRole, with its index in `rules`. */
export interface PolicyRule {
  role: K8sObject;
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export function policyRules(role: K8sObject): PolicyRule[] {
  return records(role.value.rules).map((r, index) => ({
    role,
    index,
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    verbs: strings(r.verbs).map((v) => v.toLowerCase()),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  }));
}

export interface Want {
  /** API group ("" for core). */
  group: string;
  /** Resource, optionally with a subresource: "pods/exec". */
  resource: string;
  verbs: readonly string[];
}

export interface MatchOptions {
  /** Whether `resources: ["*"]` counts (binding-level checks: yes; role-level checks leave wildcards to the wildcard rule). */
  resourceWildcard: boolean;
}

function resourceMatches(granted: string, wanted: string, opts: MatchOptions): boolean {
  if (granted === wanted) return true;
  if (!opts.resourceWildcard) return false;
  if (granted === '*') return true;
  const slash = wanted.indexOf('/');
  return slash >= 0 && granted === `*${wanted.slice(slash)}`;
}

/** The verbs of `want.verbs` the rule grants on the resource ("*" grants them all). */
export function grantedVerbs(rule: PolicyRule, want: Want, opts: MatchOptions): string[] {
  if (!rule.apiGroups.some((g) => g === '*' || g === want.group)) return [];
  if (!rule.resources.some((r) => resourceMatches(r, want.resource, opts))) return [];
  if (rule.verbs.includes('*')) return [...want.verbs];
  return want.verbs.filter((v) => rule.verbs.includes(v));
}

/** Field path of the resources list of a rule, the line a role-level finding points at. */
export function rulePath(rule: PolicyRule, field: 'verbs' | 'resources' | 'apiGroups' = 'resources'): (string | number)[] {
  return ['rules', rule.index, field];
}

export interface RoleRef {
  kind: string;
  name: string;
}

export function roleRefOf(binding: K8sObject): RoleRef | undefined {
  const ref = binding.value.roleRef;
  if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** The Role or ClusterRole a binding refers to, when it is in the input. */
export function resolveRole(binding: K8sObject, objects: readonly K8sObject[]): K8sObject | undefined {
  const ref = roleRefOf(binding);
  if (!ref) return undefined;
  if (ref.kind === 'ClusterRole') return objects.find((o) => isRbac(o, 'ClusterRole') && o.name === ref.name);
  if (ref.kind === 'Role' && isRbac(binding, 'RoleBinding')) {
    return objects.find((o) => isRbac(o, 'Role') && o.name === ref.name && (o.namespace ?? '') === (binding.namespace ?? ''));
  }
  return undefined;
}

export interface Subject {
  index: number;
  kind: string;
  name: string;
  namespace?: string;
}

export function subjectsOf(binding: K8sObject): Subject[] {
  return records(binding.value.subjects).map((s, index) => {
    const subject: Subject = { index, kind: typeof s.kind === 'string' ? s.kind : '', name: typeof s.name === 'string' ? s.name : '' };
    if (typeof s.namespace === 'string') subject.namespace = s.namespace;
    return subject;
  });
}

export function describeRole(role: K8sObject): string {
  return `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
}

export function describeBinding(binding: K8sObject): string {
  return `${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}`;
}

/** Role-level checks: every rule of every user-defined Role and ClusterRole. */
export function userPolicyRules(objects: readonly K8sObject[]): PolicyRule[] {
  return objects.filter((o) => isRole(o) && !isBootstrap(o)).flatMap(policyRules);
}

import { defineMeta } from '../../meta.js';
import type { Severity } from '../../../../core/finding.js';
import type { RuleMeta } from '../../types.js';

export type PssLevel = 'baseline' | 'restricted';
export type FieldPath = (string | number)[];

export const PSS_DOC = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
export const PSA_SOURCE = 'https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/pod-security-admission/policy';

/** One container of a pod spec, of any of the three kinds, with its path relative to the PodSpec. */
export interface ContainerView {
  field: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  name: string;
  value: Record<string, unknown>;
  /** e.g. ["initContainers", 0] */
  path: FieldPath;
  securityContext: Record<string, unknown>;
}

/** A pod template as the controls see it; paths in violations are relative to `spec` or `metadata` as the control says. */
export interface PodView {
  spec: Record<string, unknown>;
  metadata: Record<string, unknown>;
  podSecurityContext: Record<string, unknown>;
  /** Init containers, containers, then ephemeral containers (PSA's visit order). */
  containers: ContainerView[];
  /** spec.os.name == "windows": exempt from some restricted controls since policy 1.25. */
  windows: boolean;
  /** spec.hostUsers === false: the pod runs in a user namespace. */
  userNamespace: boolean;
}

export interface Violation {
  /** 'spec': path relative to the PodSpec; 'metadata': relative to the pod template's metadata. */
  in: 'spec' | 'metadata';
  path: FieldPath;
  message: string;
}

export interface PssControl {
  /** PSA check id, e.g. "hostNamespaces". */
  control: string;
  level: PssLevel;
  /** PSA check ids of baseline controls this restricted control replaces at the restricted level. */
  overrides?: string[];
  meta: RuleMeta;
  check(pod: PodView): Violation[];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function podView(spec: Record<string, unknown>, metadata: Record<string, unknown>): PodView {
  const containers: ContainerView[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    arr(spec[field]).forEach((c, index) => {
      const value = rec(c);
      containers.push({
        field,
        index,
        name: typeof value.name === 'string' ? value.name : `${field}[${index}]`,
        value,
        path: [field, index],
        securityContext: rec(value.securityContext),
      });
    });
  }
  return {
    spec,
    metadata,
    podSecurityContext: rec(spec.securityContext),
    containers,
    windows: rec(spec.os).name === 'windows',
    userNamespace: spec.hostUsers === false,
  };
}

export function label(c: ContainerView): string {
  const kind = c.field === 'containers' ? 'container' : c.field === 'initContainers' ? 'init container' : 'ephemeral container';
  return `${kind} "${c.name}"`;
}

export function specViolation(path: FieldPath, message: string): Violation {
  return { in: 'spec', path, message };
}

export function pssMeta(control: string, level: PssLevel, meta: { id: string; title: string; severity: Severity; rationale: string; remediation: string; references?: string[]; aliases?: string[] }): RuleMeta {
  return defineMeta({
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    rationale: meta.rationale,
    remediation: meta.remediation,
    references: [`${PSS_DOC}#${level}`, ...(meta.references ?? [])],
    aliases: [`pss:${control}`, `pss-level:${level}`, ...(meta.aliases ?? [])],
  });
}

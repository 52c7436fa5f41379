import { ruleFinding } from '../../rule-finding.js';
import type { Finding } from '../../../../core/finding.js';
import type { K8sObject, PodTemplateRef } from '../../../../k8s/types.js';
import type { RuleMeta } from '../../types.js';

export { defineMeta } from '../../meta.js';

export const K8S_DOCS = 'https://kubernetes.io/docs/';
export const CHECKOV_K8S = 'https://www.checkov.io/5.Policy%20Index/kubernetes.html';
export const KUBESCAPE_CONTROLS = 'https://hub.armosec.io/docs/controls';
export const CIS_KUBERNETES = 'https://www.cisecurity.org/benchmark/kubernetes';

export type FieldPath = readonly (string | number)[];

/** What a k8s rule gets besides the objects: the target name and a finding maker. */
export interface K8sCheckContext {
  target: string;
  /** A finding about `path` inside `object`: file + line when the object came from a file, and always the resource path. */
  finding(meta: RuleMeta, object: K8sObject, path: FieldPath, message: string, subject?: string): Finding;
}

export interface K8sRule {
  meta: RuleMeta;
  check(objects: readonly K8sObject[], ctx: K8sCheckContext): Finding[];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function at(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

export function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** `spec.template.spec.containers[0].image`; keys that are not plain identifiers are quoted: `metadata.annotations["a/b"]`. */
export function fieldPathText(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `apps/v1/Deployment/shop/web#spec.template.spec.containers[0]`; cluster-scoped or namespace-less objects leave the namespace out. */
export function resourceOf(object: K8sObject, path: FieldPath): string {
  const base = [object.apiVersion, object.kind, ...(object.namespace ? [object.namespace] : []), object.name].join('/');
  const field = fieldPathText(path);
  return field === '' ? base : `${base}#${field}`;
}

/** Line of the field path, or of its nearest ancestor present in the file, or of the object. */
export function lineOf(object: K8sObject, path: FieldPath): number | undefined {
  if (object.source.kind !== 'file') return undefined;
  for (let n = path.length; n >= 0; n--) {
    const line = object.source.lineOf(path.slice(0, n));
    if (line !== undefined) return line;
  }
  return object.source.line;
}

export function makeK8sContext(target: string): K8sCheckContext {
  return {
    target,
    finding(meta, object, path, message, subject) {
      const resource = resourceOf(object, path);
      const location: Finding['location'] = { resource };
      if (object.source.kind === 'file') {
        location.path = object.source.path;
        const line = lineOf(object, path);
        if (line !== undefined) location.line = line;
      }
      return ruleFinding(meta, { stackLayer: 'orchestrator', target, location, description: message, about: [resource, subject ?? ''] });
    },
  };
}

/** A container of a pod template, with its field path inside the object. */
export interface ContainerRef {
  template: PodTemplateRef;
  container: Record<string, unknown>;
  path: (string | number)[];
  group: 'containers' | 'initContainers' | 'ephemeralContainers';
  name: string;
}

export type ContainerGroup = ContainerRef['group'];

export function containersOf(template: PodTemplateRef, groups: readonly ContainerGroup[] = ['containers', 'initContainers']): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const group of groups) {
    const list = template.spec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      out.push({ template, container: c, path: [...template.specPath, group, i], group, name: typeof c.name === 'string' ? c.name : `#${i}` });
    });
  }
  return out;
}

/** "container web" / "init container migrate". */
export function describeContainer(c: ContainerRef): string {
  const what = c.group === 'initContainers' ? 'init container' : c.group === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${what} ${c.name}`;
}

/** Batch workloads (Job, CronJob) run to completion: probes and long-running hygiene do not apply the same way. */
export function isBatch(object: K8sObject): boolean {
  return object.kind === 'Job' || object.kind === 'CronJob';
}

export interface ImageParts {
  /** The tag, or undefined when the reference names none. */
  tag?: string;
  /** The digest after "@", e.g. sha256:abc... */
  digest?: string;
}

/** Splits an image reference into tag and digest (a registry port is not a tag). */
export function imageParts(image: string): ImageParts {
  const out: ImageParts = {};
  let rest = image.trim();
  const atSign = rest.indexOf('@');
  if (atSign >= 0) {
    out.digest = rest.slice(atSign + 1);
    rest = rest.slice(0, atSign);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) out.tag = rest.slice(colon + 1);
  return out;
}

export function isDigestPinned(image: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(imageParts(image).digest ?? '');
}

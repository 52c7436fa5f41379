import type { K8sObject } from './types.js';

/** Kinds of the API groups whose objects the rules read, to tell a typo ("Deploymnet") from a real kind. */
const CORE_GROUP_KINDS: Readonly<Record<string, readonly string[]>> = {
  '': [
    'Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node',
    'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota',
    'Secret', 'Service', 'ServiceAccount',
  ],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  batch: ['CronJob', 'Job'],
};

/** Groups Kubernetes itself serves besides those above (their kinds are not listed: none are checked by kind typo). */
const BUILT_IN_GROUPS = new Set(['autoscaling', 'policy', 'extensions']);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Why an object is outside what `bulwark k8s` understands, or undefined when it is a Kubernetes kind:
 * a custom resource (its pod templates, if any, are not checked) or an unknown kind of a built-in group.
 */
export function unknownKindReason(object: K8sObject): string | undefined {
  const group = groupOf(object.apiVersion);
  const kinds = CORE_GROUP_KINDS[group];
  if (kinds) return kinds.includes(object.kind) ? undefined : `${object.kind} is not a kind of ${object.apiVersion}`;
  if (BUILT_IN_GROUPS.has(group) || group.endsWith('.k8s.io')) return undefined;
  return `custom resource (${group}) that no rule knows`;
}

/** One warning per object of an unknown kind or a custom resource, naming the file and line. */
export function unknownKindWarnings(objects: readonly K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const reason = unknownKindReason(o);
    if (!reason) continue;
    const where = o.source.kind === 'file' ? `${o.source.path}:${o.source.line}` : `cluster ${o.source.context}`;
    out.push(`${where}: ${o.apiVersion} ${o.kind} ${o.name || '(unnamed)'}: ${reason}; not checked`);
  }
  return out;
}

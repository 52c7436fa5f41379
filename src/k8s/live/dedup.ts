import type { K8sObject } from '../types.js';

/** Which controller kinds make a child redundant: the child's pod template is the controller's, already scanned. */
const REDUNDANT_CHILDREN: Record<string, readonly string[]> = {
  Pod: ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'],
  ReplicaSet: ['Deployment'],
  Job: ['CronJob'],
};

interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function controllerOf(o: K8sObject): OwnerRef | undefined {
  const metadata = isRecord(o.value.metadata) ? o.value.metadata : {};
  const refs = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences.filter(isRecord) : [];
  const ref = refs.find((r) => r.controller === true);
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name, ...(typeof ref.uid === 'string' ? { uid: ref.uid } : {}) };
}

function uidOf(o: K8sObject): string | undefined {
  const metadata = isRecord(o.value.metadata) ? o.value.metadata : {};
  return typeof metadata.uid === 'string' ? metadata.uid : undefined;
}

const keyOf = (kind: string, namespace: string | undefined, name: string): string => `${kind}\0${namespace ?? ''}\0${name}`;

/**
 * Drops objects whose pod template is already scanned through the controller that made them, so a live
 * scan reports a privileged Deployment once and not once more per ReplicaSet and per Pod:
 * Pods controlled by a collected ReplicaSet/StatefulSet/DaemonSet/Job, ReplicaSets controlled by a collected
 * Deployment, Jobs controlled by a collected CronJob. The controller is matched by uid when the reference
 * has one (a same-named controller that was deleted and re-created is another object), else by kind and name.
 * Pods without a controller, or whose controller was not read (403, namespace filter), are kept.
 */
export function dropControlledChildren(objects: readonly K8sObject[]): K8sObject[] {
  const byKey = new Map<string, K8sObject>();
  for (const o of objects) byKey.set(keyOf(o.kind, o.namespace, o.name), o);
  return objects.filter((o) => {
    const owners = REDUNDANT_CHILDREN[o.kind];
    if (!owners) return true;
    const ref = controllerOf(o);
    if (!ref || !owners.includes(ref.kind)) return true;
    const owner = byKey.get(keyOf(ref.kind, o.namespace, ref.name));
    if (!owner) return true;
    return ref.uid !== undefined && uidOf(owner) !== undefined && ref.uid !== uidOf(owner);
  });
}

import type { K8sObject, PodTemplateRef } from './types.js';

/** Where each workload kind keeps its PodSpec. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (!isRecord(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The pod templates of every workload object (Pod, Deployment, ..., CronJob), with the path of each PodSpec. */
export function podTemplates(objects: readonly K8sObject[]): PodTemplateRef[] {
  const out: PodTemplateRef[] = [];
  for (const object of objects) {
    const path = POD_SPEC_PATHS[object.kind];
    if (!path) continue;
    const spec = at(object.value, path);
    if (!isRecord(spec)) continue;
    const metadata = at(object.value, [...path.slice(0, -1), 'metadata']);
    out.push({ object, specPath: [...path], spec, metadata: isRecord(metadata) ? metadata : {} });
  }
  return out;
}

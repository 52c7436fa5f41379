/** One Kubernetes object read from a manifest, a snapshot or a live cluster, with where it came from. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  /** metadata.namespace; undefined for cluster-scoped objects and for manifests that leave it out. */
  namespace?: string;
  name: string;
  /** The object as plain data. */
  value: Record<string, unknown>;
  /** Where it was read: a file (with positions) or the live cluster. */
  source: K8sSource;
}

export type K8sSource =
  | { kind: 'file'; path: string; /** 1-based line of the object's first line. */ line: number; /** Line of a field path inside this object, or undefined. */ lineOf(path: readonly (string | number)[]): number | undefined }
  | { kind: 'cluster'; context: string };

/** What a k8s rule gets: every object of the input (rules that look across objects, e.g. NetworkPolicy per namespace, need them all). */
export interface K8sInput {
  objects: readonly K8sObject[];
}

/** A pod template found in a workload: where its spec sits inside the object. */
export interface PodTemplateRef {
  object: K8sObject;
  /** Field path of the PodSpec inside the object, e.g. ["spec","template","spec"] or ["spec","jobTemplate","spec","template","spec"]. */
  specPath: (string | number)[];
  spec: Record<string, unknown>;
  /** Pod-level metadata (annotations for AppArmor on older clusters). */
  metadata: Record<string, unknown>;
}

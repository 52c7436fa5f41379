import type { AppsV1Api, BatchV1Api, CoreV1Api, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { CallOptions } from './request.js';

export interface ClusterApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  rbac: RbacAuthorizationV1Api;
}

export interface Page {
  limit: number;
  _continue?: string;
}

type ListCall = (apis: ClusterApis, page: Page, options: CallOptions) => Promise<unknown>;
type NamespacedListCall = (apis: ClusterApis, namespace: string, page: Page, options: CallOptions) => Promise<unknown>;

/** One kind read from the cluster: its list call across all namespaces and, for namespaced kinds, in one namespace. */
export interface ClusterKind {
  apiVersion: string;
  kind: string;
  listAll: ListCall;
  /** Absent for cluster-scoped kinds. */
  listIn?: NamespacedListCall;
}

/** Only list calls: the scan is read-only. Order is the order objects are reported in. */
export const CLUSTER_KINDS: readonly ClusterKind[] = [
  { apiVersion: 'v1', kind: 'Namespace', listAll: (a, p, o) => a.core.listNamespace(p, o) },
  { apiVersion: 'v1', kind: 'Pod', listAll: (a, p, o) => a.core.listPodForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.core.listNamespacedPod({ namespace, ...p }, o) },
  { apiVersion: 'v1', kind: 'Service', listAll: (a, p, o) => a.core.listServiceForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.core.listNamespacedService({ namespace, ...p }, o) },
  { apiVersion: 'v1', kind: 'ServiceAccount', listAll: (a, p, o) => a.core.listServiceAccountForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.core.listNamespacedServiceAccount({ namespace, ...p }, o) },
  { apiVersion: 'apps/v1', kind: 'Deployment', listAll: (a, p, o) => a.apps.listDeploymentForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.apps.listNamespacedDeployment({ namespace, ...p }, o) },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', listAll: (a, p, o) => a.apps.listStatefulSetForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.apps.listNamespacedStatefulSet({ namespace, ...p }, o) },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', listAll: (a, p, o) => a.apps.listDaemonSetForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.apps.listNamespacedDaemonSet({ namespace, ...p }, o) },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', listAll: (a, p, o) => a.apps.listReplicaSetForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.apps.listNamespacedReplicaSet({ namespace, ...p }, o) },
  { apiVersion: 'batch/v1', kind: 'Job', listAll: (a, p, o) => a.batch.listJobForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.batch.listNamespacedJob({ namespace, ...p }, o) },
  { apiVersion: 'batch/v1', kind: 'CronJob', listAll: (a, p, o) => a.batch.listCronJobForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.batch.listNamespacedCronJob({ namespace, ...p }, o) },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', listAll: (a, p, o) => a.networking.listNetworkPolicyForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.networking.listNamespacedNetworkPolicy({ namespace, ...p }, o) },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', listAll: (a, p, o) => a.rbac.listRoleForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.rbac.listNamespacedRole({ namespace, ...p }, o) },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', listAll: (a, p, o) => a.rbac.listRoleBindingForAllNamespaces(p, o), listIn: (a, namespace, p, o) => a.rbac.listNamespacedRoleBinding({ namespace, ...p }, o) },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', listAll: (a, p, o) => a.rbac.listClusterRole(p, o) },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', listAll: (a, p, o) => a.rbac.listClusterRoleBinding(p, o) },
];

/** Nodes are read for the version/runtime inventory only; their objects are not scanned. */
export const NODE_KIND: ClusterKind = { apiVersion: 'v1', kind: 'Node', listAll: (a, p, o) => a.core.listNode(p, o) };

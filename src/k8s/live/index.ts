export { collectClusterObjects, toClusterObject, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS, type ClusterNode, type ClusterSnapshot, type CollectOptions } from './collect.js';
export { dropControlledChildren } from './dedup.js';
export { loadKubeConfig, type KubeConfigOptions, type ResolvedKubeConfig } from './kubeconfig.js';

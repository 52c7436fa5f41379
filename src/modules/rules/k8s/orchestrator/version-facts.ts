import type { Finding } from '../../../../core/finding.js';
import { eolDateOf, type K8sEolCycle, type K8sEolData } from '../../../../k8s/orchestrator/eol-data.js';
import { compareK8sVersions, parseK8sVersion, type K8sVersion } from '../../../../k8s/orchestrator/version.js';
import type { K8sObject } from '../../../../k8s/types.js';
import type { RuleMeta } from '../../types.js';
import { lineOf, resourceOf } from '../workload/support.js';
import type { OrchestratorContext, Where } from './support.js';

/** A node's kubelet version given directly (e.g. from `kubectl get nodes -o json` already reduced). */
export interface NodeVersionRef {
  name: string;
  kubeletVersion: string;
}

export interface VersionCheckInput {
  /** Explicit cluster version (`--k8s-version v1.29.3`); wins over the nodes' versions. */
  version?: string;
  /** Node objects of a snapshot (status.nodeInfo.kubeletVersion is read) or plain name/version pairs. */
  nodes?: readonly (K8sObject | NodeVersionRef)[];
  now: Date;
  /** Days before end of life that count as "near"; default 90. */
  warnDays?: number;
  data: K8sEolData;
}

export const DEFAULT_EOL_WARN_DAYS = 90;
const KUBELET_VERSION_PATH = ['status', 'nodeInfo', 'kubeletVersion'] as const;

export interface VersionedThing {
  version: K8sVersion;
  where: Where;
  /** "--k8s-version", "node cp-1 (kubelet)". */
  from: string;
}

export interface NodeVersion extends VersionedThing {
  name: string;
  controlPlane: boolean;
}

/** What the version rules judge: the cluster's version and its cycle in the data, and every node's kubelet. */
export interface VersionFacts {
  cluster?: VersionedThing & { cycle?: K8sEolCycle; olderThanData?: K8sEolCycle };
  nodes: NodeVersion[];
  now: Date;
  warnDays: number;
  data: K8sEolData;
}

export interface VersionRule {
  meta: RuleMeta;
  check(facts: VersionFacts, ctx: OrchestratorContext): Finding[];
}

function isK8sObject(n: K8sObject | NodeVersionRef): n is K8sObject {
  return 'value' in n && 'source' in n;
}

function isControlPlane(o: K8sObject): boolean {
  const labels = (o.value.metadata as { labels?: Record<string, unknown> } | undefined)?.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

function nodeWhere(o: K8sObject): Where {
  const where: Where = { resource: resourceOf(o, KUBELET_VERSION_PATH) };
  if (o.source.kind === 'file') {
    where.path = o.source.path;
    const line = lineOf(o, KUBELET_VERSION_PATH);
    if (line !== undefined) where.line = line;
  }
  return where;
}

function readNodes(nodes: readonly (K8sObject | NodeVersionRef)[], warnings: string[]): NodeVersion[] {
  const out: NodeVersion[] = [];
  for (const n of nodes) {
    if (isK8sObject(n)) {
      if (n.kind !== 'Node') continue;
      const raw = (((n.value.status as Record<string, unknown> | undefined)?.nodeInfo as Record<string, unknown> | undefined) ?? {}).kubeletVersion;
      const where = nodeWhere(n);
      if (typeof raw !== 'string') {
        warnings.push(`${where.path ? `${where.path}:${where.line ?? 1}: ` : ''}Node ${n.name}: no status.nodeInfo.kubeletVersion; its version is not checked`);
        continue;
      }
      const version = parseK8sVersion(raw);
      if (!version) {
        warnings.push(`${where.path ? `${where.path}:${where.line ?? 1}: ` : ''}Node ${n.name}: kubelet version "${raw}" is not a Kubernetes version`);
        continue;
      }
      out.push({ name: n.name, version, where, from: `node ${n.name} (kubelet)`, controlPlane: isControlPlane(n) });
    } else {
      const version = parseK8sVersion(n.kubeletVersion);
      if (!version) {
        warnings.push(`node ${n.name}: kubelet version "${n.kubeletVersion}" is not a Kubernetes version`);
        continue;
      }
      out.push({ name: n.name, version, where: { resource: `v1/Node/${n.name}#status.nodeInfo.kubeletVersion` }, from: `node ${n.name} (kubelet)`, controlPlane: false });
    }
  }
  return out;
}

function oldestCycle(data: K8sEolData): K8sEolCycle | undefined {
  let oldest: { c: K8sEolCycle; v: K8sVersion } | undefined;
  for (const c of data.cycles.values()) {
    const v = parseK8sVersion(c.cycle);
    if (v && (!oldest || compareK8sVersions(v, oldest.v) < 0)) oldest = { c, v };
  }
  return oldest?.c;
}

/** Resolves the versions to judge; anything that cannot be judged becomes a warning. */
export function versionFacts(input: VersionCheckInput, warnings: string[]): VersionFacts {
  const nodes = readNodes(input.nodes ?? [], warnings);
  const facts: VersionFacts = { nodes, now: input.now, warnDays: input.warnDays ?? DEFAULT_EOL_WARN_DAYS, data: input.data };
  let cluster: VersionedThing | undefined;
  if (input.version !== undefined) {
    const version = parseK8sVersion(input.version);
    if (!version) warnings.push(`--k8s-version "${input.version}" is not a Kubernetes version (expected e.g. v1.30.2); version not checked`);
    else cluster = { version, where: { resource: 'kubernetes/version' }, from: '--k8s-version' };
  }
  if (!cluster && nodes.length > 0) {
    // The control plane's kubelets track the API server's version; without them the oldest node is what limits the cluster.
    const pool = nodes.some((n) => n.controlPlane) ? nodes.filter((n) => n.controlPlane) : nodes;
    cluster = [...pool].sort((a, b) => compareK8sVersions(a.version, b.version))[0];
  }
  if (!cluster) return facts;
  const cycle = input.data.cycles.get(cluster.version.cycle);
  if (cycle) {
    facts.cluster = { ...cluster, cycle };
    return facts;
  }
  const oldest = oldestCycle(input.data);
  const oldestVersion = oldest && parseK8sVersion(oldest.cycle);
  if (oldest && oldestVersion && compareK8sVersions(cluster.version, oldestVersion) < 0) facts.cluster = { ...cluster, olderThanData: oldest };
  else {
    warnings.push(`Kubernetes ${cluster.version.core} (${cluster.from}) is not in the end-of-life data ${input.data.source}; refresh it with scripts/update-k8s-eol-data.ts or set BULWARK_K8S_EOL_DATA`);
    facts.cluster = cluster;
  }
  return facts;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` to the start (UTC) of an ISO date; negative once it has passed. */
export function daysUntil(date: string, now: Date): number {
  return Math.floor((Date.parse(`${date}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

/** True when the cycle's end of life has been reached at `now`. */
export function isPastEol(cycle: K8sEolCycle, now: Date): boolean {
  if (cycle.eol === true) return true;
  const date = eolDateOf(cycle);
  return date !== undefined && Date.parse(`${date}T00:00:00Z`) <= now.getTime();
}

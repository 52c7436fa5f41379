import type { Finding } from '../../../../../core/finding.js';
import { compareK8sVersions, minorDistance } from '../../../../../k8s/orchestrator/version.js';
import { VERSION_SKEW, defineMeta } from '../support.js';
import type { VersionRule } from '../version-facts.js';

export const meta = defineMeta({
  id: 'BW-K8S-204',
  title: 'Kubelet version is outside the supported skew from the control plane',
  severity: 'MEDIUM',
  rationale:
    'The version skew policy allows a kubelet to be at most three minor releases older than the API server (two before 1.28) and never newer; outside it, behaviour is untested and old kubelets miss security fixes.',
  remediation: 'Upgrade (or, if newer, hold back) the kubelets on the listed nodes to a version within the supported skew of the control plane.',
  references: [VERSION_SKEW],
  aliases: [],
});

export const rule: VersionRule = {
  meta,
  check(facts, ctx): Finding[] {
    const c = facts.cluster;
    if (!c) return [];
    const allowed = c.version.major === 1 && c.version.minor < 28 ? 2 : 3;
    const out: Finding[] = [];
    for (const n of facts.nodes) {
      if (compareK8sVersions(n.version, c.version) > 0 && n.version.cycle !== c.version.cycle) {
        out.push(ctx.finding(meta, n.where, `node ${n.name}: kubelet ${n.version.core} is newer than the control plane ${c.version.core} (${c.from}); kubelets must not be newer`, n.name));
        continue;
      }
      const behind = minorDistance(n.version, c.version);
      if (behind > allowed) out.push(ctx.finding(meta, n.where, `node ${n.name}: kubelet ${n.version.core} is ${behind} minor releases behind the control plane ${c.version.core} (${c.from}); at most ${allowed} are supported`, n.name));
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { eolDateOf } from '../../../../../k8s/orchestrator/eol-data.js';
import { EOL_KUBERNETES, K8S_RELEASES, defineMeta } from '../support.js';
import { isPastEol, type VersionRule } from '../version-facts.js';

export const meta = defineMeta({
  id: 'BW-K8S-201',
  title: 'Kubernetes version is past its end of life',
  severity: 'HIGH',
  rationale:
    'Each Kubernetes minor release gets patches for about 14 months; after its end-of-life date, vulnerabilities found in the API server, kubelet or kube-proxy are no longer fixed for it.',
  remediation: 'Upgrade the control plane and then the nodes, one minor release at a time, to a supported release.',
  references: [K8S_RELEASES, EOL_KUBERNETES],
  aliases: [],
});

export const rule: VersionRule = {
  meta,
  check(facts, ctx): Finding[] {
    const c = facts.cluster;
    if (!c) return [];
    if (c.olderThanData) {
      const oldestEol = eolDateOf(c.olderThanData) ?? 'already past';
      return [ctx.finding(meta, c.where, `Kubernetes ${c.version.core} (${c.from}) is older than every release in the end-of-life data; the oldest listed, ${c.olderThanData.cycle}, reached its end of life on ${oldestEol}`)];
    }
    if (!c.cycle || !isPastEol(c.cycle, facts.now)) return [];
    const when = eolDateOf(c.cycle);
    return [ctx.finding(meta, c.where, `Kubernetes ${c.version.core} (${c.from}): release ${c.cycle.cycle} reached its end of life${when ? ` on ${when}` : ''}`)];
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { compareK8sVersions, parseK8sVersion } from '../../../../../k8s/orchestrator/version.js';
import { K8S_RELEASES, defineMeta } from '../support.js';
import type { VersionRule } from '../version-facts.js';

export const meta = defineMeta({
  id: 'BW-K8S-203',
  title: 'Kubernetes version is behind the latest patch release of its minor',
  severity: 'LOW',
  rationale: 'Patch releases of a supported minor carry the security fixes of the month; a cluster behind the latest patch runs with fixed vulnerabilities still open.',
  remediation: 'Apply the latest patch release of the running minor release (kubeadm upgrade apply, or the provider upgrade).',
  references: [K8S_RELEASES, 'https://kubernetes.io/releases/patch-releases/'],
  aliases: [],
});

export const rule: VersionRule = {
  meta,
  check(facts, ctx): Finding[] {
    const c = facts.cluster;
    if (!c?.cycle) return [];
    const latest = parseK8sVersion(c.cycle.latest);
    if (!latest || compareK8sVersions(c.version, latest) >= 0) return [];
    const when = c.cycle.latestReleaseDate ? ` (released ${c.cycle.latestReleaseDate})` : '';
    return [ctx.finding(meta, c.where, `Kubernetes ${c.version.core} (${c.from}) is behind ${c.cycle.latest}${when}, the latest patch of ${c.cycle.cycle}`)];
  },
};

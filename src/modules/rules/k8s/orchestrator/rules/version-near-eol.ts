import type { Finding } from '../../../../../core/finding.js';
import { eolDateOf } from '../../../../../k8s/orchestrator/eol-data.js';
import { EOL_KUBERNETES, K8S_RELEASES, defineMeta } from '../support.js';
import { daysUntil, isPastEol, type VersionRule } from '../version-facts.js';

export const meta = defineMeta({
  id: 'BW-K8S-202',
  title: 'Kubernetes version reaches its end of life soon',
  severity: 'MEDIUM',
  rationale: 'A minor-release upgrade of a cluster (control plane, nodes, add-ons, deprecated APIs) takes planning; starting it before the end-of-life date keeps the cluster patched throughout.',
  remediation: 'Plan the upgrade to the next minor release now; the warning window is --eol-warn-days (default 90).',
  references: [K8S_RELEASES, EOL_KUBERNETES],
  aliases: [],
});

export const rule: VersionRule = {
  meta,
  check(facts, ctx): Finding[] {
    const c = facts.cluster;
    const date = c?.cycle && eolDateOf(c.cycle);
    if (!c?.cycle || !date || isPastEol(c.cycle, facts.now)) return [];
    const days = daysUntil(date, facts.now);
    if (days > facts.warnDays) return [];
    return [ctx.finding(meta, c.where, `Kubernetes ${c.version.core} (${c.from}): release ${c.cycle.cycle} reaches its end of life on ${date}, in ${days} day${days === 1 ? '' : 's'} (warning window ${facts.warnDays} days)`)];
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import type { RuleMeta } from '../../../types.js';
import { containersOf, describeContainer, isBatch, isRecord, type K8sRule } from '../support.js';

/** A rule that reports each long-running (not batch) container without `probe` (livenessProbe, readinessProbe). */
export function missingProbeRule(meta: RuleMeta, probe: 'livenessProbe' | 'readinessProbe'): K8sRule {
  return {
    meta,
    check(objects, ctx) {
      const out: Finding[] = [];
      for (const t of podTemplates(objects)) {
        if (isBatch(t.object)) continue;
        for (const c of containersOf(t, ['containers'])) {
          if (isRecord(c.container[probe])) continue;
          out.push(ctx.finding(meta, t.object, c.path, `${describeContainer(c)} has no ${probe}`, c.name));
        }
      }
      return out;
    },
  };
}

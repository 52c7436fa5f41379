import type { Finding } from '../../../../../core/finding.js';
import { KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_GOOD_PRACTICES, describeRole, grantedVerbs, rulePath, userPolicyRules } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-103',
  title: 'Role allows exec or attach into pods',
  severity: 'MEDIUM',
  rationale:
    'pods/exec and pods/attach run commands inside containers: the subject gets every secret, token and network path of any pod it can reach in scope, whatever RBAC was meant to restrict.',
  remediation: 'Remove pods/exec and pods/attach from roles used by workloads and CI; grant them to humans through a separate, audited, time-limited role.',
  references: [RBAC_GOOD_PRACTICES, KUBESCAPE_CONTROLS],
  aliases: ['C-0002'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const r of userPolicyRules(objects)) {
      const subs = ['pods/exec', 'pods/attach'].filter((resource) => grantedVerbs(r, { group: '', resource, verbs: ['create', 'get'] }, { resourceWildcard: false }).length > 0);
      if (subs.length === 0) continue;
      out.push(ctx.finding(meta, r.role, rulePath(r), `${describeRole(r.role)} rule ${r.index} grants ${subs.join(' and ')}`, `rules[${r.index}]`));
    }
    return out;
  },
};

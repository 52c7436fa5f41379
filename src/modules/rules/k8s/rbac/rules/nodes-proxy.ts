import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_GOOD_PRACTICES, describeRole, grantedVerbs, rulePath, userPolicyRules } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-106',
  title: 'Role grants access to nodes/proxy',
  severity: 'HIGH',
  rationale:
    'nodes/proxy reaches the kubelet API through the API server: the subject can run commands in any pod on the node, and the kubelet\'s requests bypass audit logging and admission control.',
  remediation: 'Remove nodes/proxy from roles; monitoring agents can read metrics through nodes/metrics or the metrics API instead.',
  references: [`${RBAC_GOOD_PRACTICES}#access-to-proxy-subresource-of-nodes`, CIS_KUBERNETES],
  aliases: ['CIS-K8S-5.1.10'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const r of userPolicyRules(objects)) {
      const verbs = grantedVerbs(r, { group: '', resource: 'nodes/proxy', verbs: ['get', 'create', 'update', 'patch', 'delete'] }, { resourceWildcard: false });
      if (verbs.length === 0) continue;
      out.push(ctx.finding(meta, r.role, rulePath(r), `${describeRole(r.role)} rule ${r.index} grants ${verbs.join('/')} on nodes/proxy`, `rules[${r.index}]`));
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { CHECKOV_K8S, CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_GOOD_PRACTICES, describeRole, userPolicyRules } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-101',
  title: 'Role grants wildcard verbs, resources or API groups',
  severity: 'HIGH',
  rationale:
    'A "*" grants everything that exists now and everything added later (new resources, CRDs, subresources such as pods/exec): the role cannot be reviewed, and it usually grants far more than the workload uses.',
  remediation: 'List the apiGroups, resources and verbs the subject actually needs; use `kubectl auth can-i --list` or audit logs to find them.',
  references: [RBAC_GOOD_PRACTICES, CIS_KUBERNETES, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0187', 'CIS-K8S-5.1.3', 'CKV_K8S_49'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const r of userPolicyRules(objects)) {
      const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => r[f].includes('*'));
      if (fields.length === 0) continue;
      out.push(ctx.finding(meta, r.role, ['rules', r.index, fields[0]!], `${describeRole(r.role)} rule ${r.index} has "*" in ${fields.join(', ')}`, `rules[${r.index}]`));
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { CHECKOV_K8S, CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_DOCS, RBAC_GOOD_PRACTICES, describeRole, userPolicyRules } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-105',
  title: 'Role grants escalate, bind or impersonate',
  severity: 'HIGH',
  rationale:
    'escalate lets a subject write roles with permissions it does not hold, bind lets it bind any role to itself, impersonate lets it act as any user, group or service account: each is a step to cluster-admin, bypassing RBAC\'s escalation prevention.',
  remediation: 'Remove the escalate, bind and impersonate verbs; where a controller needs bind, restrict it with resourceNames to the roles it manages.',
  references: [`${RBAC_DOCS}#privilege-escalation-prevention-and-bootstrapping`, RBAC_GOOD_PRACTICES, CIS_KUBERNETES, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0191', 'CIS-K8S-5.1.8', 'CKV_K8S_157', 'CKV_K8S_158'],
});

const VERBS = ['escalate', 'bind', 'impersonate'];

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const r of userPolicyRules(objects)) {
      const verbs = VERBS.filter((v) => r.verbs.includes(v));
      if (verbs.length === 0) continue;
      const on = r.resources.length > 0 ? ` on ${r.resources.join(', ')}` : '';
      out.push(ctx.finding(meta, r.role, ['rules', r.index, 'verbs'], `${describeRole(r.role)} rule ${r.index} grants ${verbs.join(', ')}${on}`, `rules[${r.index}]`));
    }
    return out;
  },
};

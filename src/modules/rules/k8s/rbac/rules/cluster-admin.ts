import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_DOCS, describeBinding, isBinding, isBootstrap, roleRefOf, subjectsOf } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-102',
  title: 'Binding grants the cluster-admin role',
  severity: 'HIGH',
  rationale:
    'cluster-admin is every verb on every resource: a subject bound to it (cluster-wide, or in one namespace through a RoleBinding) can read every Secret and run anything anywhere, so a leaked token of it is the whole cluster.',
  remediation: 'Bind a role limited to what the subject needs; keep cluster-admin for break-glass human access through system:masters-free, audited groups.',
  references: [`${RBAC_DOCS}#user-facing-roles`, CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0035', 'C-0185', 'CIS-K8S-5.1.1'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const b of objects) {
      if (!isBinding(b) || isBootstrap(b)) continue;
      const ref = roleRefOf(b);
      if (!ref || ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') continue;
      const who = subjectsOf(b).map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || 'no subjects';
      const scope = b.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${b.namespace ?? '(unset)'}`;
      out.push(ctx.finding(meta, b, ['roleRef', 'name'], `${describeBinding(b)} grants cluster-admin ${scope} to ${who}`));
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_GOOD_PRACTICES, describeBinding, describeRole, grantedVerbs, isBootstrap, isRbac, policyRules, resolveRole } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-104',
  title: 'Secrets readable cluster-wide',
  severity: 'HIGH',
  rationale:
    'get, list or watch on secrets through a ClusterRoleBinding reads every Secret in every namespace: service account tokens (of controllers too), registry credentials and TLS keys, a direct path to cluster-admin.',
  remediation: 'Bind secret access with RoleBindings in the namespaces that need it, restricted with resourceNames to the Secrets used; never list/watch secrets cluster-wide outside controllers that require it.',
  references: [RBAC_GOOD_PRACTICES, CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0015', 'C-0186', 'CIS-K8S-5.1.2'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const b of objects) {
      if (!isRbac(b, 'ClusterRoleBinding') || isBootstrap(b)) continue;
      const role = resolveRole(b, objects);
      if (!role || !isRbac(role, 'ClusterRole')) continue;
      const verbs = new Set<string>();
      for (const r of policyRules(role)) {
        if (r.resourceNames.length > 0) continue;
        for (const v of grantedVerbs(r, { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] }, { resourceWildcard: true })) verbs.add(v);
      }
      if (verbs.size === 0) continue;
      out.push(ctx.finding(meta, b, ['roleRef', 'name'], `${describeBinding(b)} binds ${describeRole(role)}, which allows ${[...verbs].join('/')} on secrets in every namespace`));
    }
    return out;
  },
};

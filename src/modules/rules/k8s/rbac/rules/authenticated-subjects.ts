import type { Finding } from '../../../../../core/finding.js';
import { KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_DOCS, describeBinding, isBinding, isBootstrap, roleRefOf, subjectsOf } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-109',
  title: 'Binding grants more than discovery to every authenticated user',
  severity: 'HIGH',
  rationale:
    'system:authenticated is every identity the cluster accepts, including every service account token of every pod and, on managed clusters, often any account of the cloud provider: a role bound to it is granted to everyone.',
  remediation: 'Bind the role to the specific groups or service accounts that need it; leave system:authenticated with the default discovery roles only.',
  references: [`${RBAC_DOCS}#discovery-roles`, KUBESCAPE_CONTROLS],
  aliases: ['C-0265'],
});

/** The default discovery roles every authenticated user already has. */
const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer']);

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const b of objects) {
      if (!isBinding(b) || isBootstrap(b)) continue;
      const ref = roleRefOf(b);
      if (!ref || (ref.kind === 'ClusterRole' && DISCOVERY_ROLES.has(ref.name))) continue;
      for (const s of subjectsOf(b)) {
        if (s.kind !== 'Group' || s.name !== 'system:authenticated') continue;
        out.push(ctx.finding(meta, b, ['subjects', s.index, 'name'], `${describeBinding(b)} grants ${ref.kind} ${ref.name} to every authenticated user`, s.name));
      }
    }
    return out;
  },
};

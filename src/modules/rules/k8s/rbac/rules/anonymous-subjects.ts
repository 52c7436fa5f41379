import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_DOCS, describeBinding, isBinding, isBootstrap, roleRefOf, subjectsOf } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-108',
  title: 'Binding grants a role to anonymous or unauthenticated users',
  severity: 'CRITICAL',
  rationale:
    'system:anonymous and system:unauthenticated are every request without credentials: whatever the role allows, anyone who can reach the API server can do.',
  remediation: 'Remove system:anonymous and system:unauthenticated from the binding\'s subjects; disable anonymous authentication on the API server if nothing needs it.',
  references: [`${RBAC_DOCS}#discovery-roles`, 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests', CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0262'],
});

/** What the API server itself binds to unauthenticated requests. */
const PUBLIC_ROLES = new Set(['system:public-info-viewer']);

export function isAnonymous(kind: string, name: string): boolean {
  return (kind === 'User' && name === 'system:anonymous') || (kind === 'Group' && name === 'system:unauthenticated');
}

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const b of objects) {
      if (!isBinding(b) || isBootstrap(b)) continue;
      const ref = roleRefOf(b);
      if (!ref || (ref.kind === 'ClusterRole' && PUBLIC_ROLES.has(ref.name))) continue;
      for (const s of subjectsOf(b)) {
        if (!isAnonymous(s.kind, s.name)) continue;
        out.push(ctx.finding(meta, b, ['subjects', s.index, 'name'], `${describeBinding(b)} grants ${ref.kind} ${ref.name} to ${s.kind} ${s.name}`, s.name));
      }
    }
    return out;
  },
};

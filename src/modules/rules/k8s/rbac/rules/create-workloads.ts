import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../../workload/support.js';
import { RBAC_GOOD_PRACTICES, describeRole, grantedVerbs, rulePath, userPolicyRules, type Want } from '../model.js';

export const meta = defineMeta({
  id: 'BW-K8S-107',
  title: 'Role can create pods or workload controllers',
  severity: 'MEDIUM',
  rationale:
    'Whoever can create a pod (directly or through a Deployment, Job, ... it can create or patch) can run it as any service account of the namespace and mount any of its Secrets: the role is worth as much as the strongest service account and Secret in scope.',
  remediation: 'Grant pod and controller create/patch only to deployment tooling; restrict what such pods can do with Pod Security admission and keep privileged service accounts out of those namespaces.',
  references: [`${RBAC_GOOD_PRACTICES}#workload-creation`, CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0188', 'CIS-K8S-5.1.4'],
});

const WANTS: Want[] = [
  { group: '', resource: 'pods', verbs: ['create'] },
  { group: '', resource: 'replicationcontrollers', verbs: ['create', 'update', 'patch'] },
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((resource) => ({ group: 'apps', resource, verbs: ['create', 'update', 'patch'] })),
  ...['jobs', 'cronjobs'].map((resource) => ({ group: 'batch', resource, verbs: ['create', 'update', 'patch'] })),
];

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const r of userPolicyRules(objects)) {
      const granted = WANTS.flatMap((w) => {
        const verbs = grantedVerbs(r, w, { resourceWildcard: false });
        return verbs.length > 0 ? [`${verbs.join('/')} ${w.resource}`] : [];
      });
      if (granted.length === 0) continue;
      out.push(ctx.finding(meta, r.role, rulePath(r), `${describeRole(r.role)} rule ${r.index} grants ${granted.join(', ')}`, `rules[${r.index}]`));
    }
    return out;
  },
};

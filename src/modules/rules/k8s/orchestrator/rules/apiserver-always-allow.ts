import type { Finding } from '../../../../../core/finding.js';
import { listValue } from '../../../../../k8s/orchestrator/flags.js';
import { APISERVER_REF, CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-302',
  title: 'API server authorizes every request (AlwaysAllow)',
  severity: 'CRITICAL',
  rationale:
    'The AlwaysAllow authorizer (the default when --authorization-mode is unset) permits every request of every authenticated user: RBAC and Node authorization are not consulted at all.',
  remediation: 'Set --authorization-mode=Node,RBAC on kube-apiserver and remove AlwaysAllow.',
  references: [APISERVER_REF, 'https://kubernetes.io/docs/reference/access-authn-authz/authorization/', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.6'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'authorization-mode');
      if (set && !listValue(set.value).includes('AlwaysAllow')) return [];
      const why = set ? `--authorization-mode=${set.value} includes AlwaysAllow` : '--authorization-mode is not set and defaults to AlwaysAllow';
      return [ctx.finding(meta, flagWhere(c, 'authorization-mode'), `kube-apiserver: ${why}`)];
    }),
};

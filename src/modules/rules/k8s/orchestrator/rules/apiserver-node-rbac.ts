import type { Finding } from '../../../../../core/finding.js';
import { listValue } from '../../../../../k8s/orchestrator/flags.js';
import { APISERVER_REF, CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-303',
  title: 'API server authorization mode lacks Node or RBAC',
  severity: 'HIGH',
  rationale:
    'The Node authorizer limits each kubelet to the objects of its own pods, and RBAC is how every other permission is scoped; without them a kubelet credential reads every secret, or permissions cannot be limited at all.',
  remediation: 'Set --authorization-mode=Node,RBAC on kube-apiserver (and enable the NodeRestriction admission plugin with it).',
  references: [APISERVER_REF, 'https://kubernetes.io/docs/reference/access-authn-authz/node/', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.7', 'CIS-K8S-1.2.8'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'authorization-mode');
      const modes = set ? listValue(set.value) : ['AlwaysAllow'];
      const said = set ? `--authorization-mode=${set.value}` : '--authorization-mode is not set (default AlwaysAllow)';
      return ['Node', 'RBAC']
        .filter((m) => !modes.includes(m))
        .map((m) => ctx.finding(meta, flagWhere(c, 'authorization-mode'), `kube-apiserver: ${said} does not include ${m}`, m));
    }),
};

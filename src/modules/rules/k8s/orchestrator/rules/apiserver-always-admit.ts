import type { Finding } from '../../../../../core/finding.js';
import { listValue } from '../../../../../k8s/orchestrator/flags.js';
import { APISERVER_REF, CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-304',
  title: 'API server enables the AlwaysAdmit admission plugin',
  severity: 'HIGH',
  rationale: 'AlwaysAdmit admits every request, so admission control (Pod Security, NodeRestriction, quotas, policy webhooks) no longer gates what is created.',
  remediation: 'Remove AlwaysAdmit from --enable-admission-plugins on kube-apiserver.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/', APISERVER_REF, CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.10'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'enable-admission-plugins');
      if (!set || !listValue(set.value).includes('AlwaysAdmit')) return [];
      return [ctx.finding(meta, flagWhere(c, 'enable-admission-plugins'), `kube-apiserver: --enable-admission-plugins=${set.value} includes AlwaysAdmit`)];
    }),
};

import type { Finding } from '../../../../../core/finding.js';
import { listValue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-305',
  title: 'API server does not enable the NodeRestriction admission plugin',
  severity: 'MEDIUM',
  rationale:
    'NodeRestriction is not in the default plugin set; without it a kubelet may modify other Node objects and any pod, and set labels that steer workloads onto the node it controls.',
  remediation: 'Add NodeRestriction to --enable-admission-plugins on kube-apiserver (kubeadm sets it).',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.14'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'enable-admission-plugins');
      const disabled = listValue(flag(c, 'disable-admission-plugins')?.value).includes('NodeRestriction');
      if (set && listValue(set.value).includes('NodeRestriction') && !disabled) return [];
      const why = disabled
        ? '--disable-admission-plugins turns NodeRestriction off'
        : set
          ? `--enable-admission-plugins=${set.value} does not include NodeRestriction`
          : '--enable-admission-plugins is not set, and NodeRestriction is not enabled by default';
      return [ctx.finding(meta, flagWhere(c, disabled ? 'disable-admission-plugins' : 'enable-admission-plugins'), `kube-apiserver: ${why}`)];
    }),
};

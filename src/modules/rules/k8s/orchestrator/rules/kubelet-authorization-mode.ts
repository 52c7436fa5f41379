import { CIS_KUBERNETES, KUBELET_AUTH, defineMeta, kubeletValue, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-321',
  title: 'Kubelet authorizes every request (AlwaysAllow)',
  severity: 'HIGH',
  rationale:
    'With authorization mode AlwaysAllow (the --authorization-mode flag default; the KubeletConfiguration default is Webhook) every caller the kubelet authenticates, or lets in anonymously, may exec into any container on the node.',
  remediation: 'Set authorization.mode: Webhook in the KubeletConfiguration (or --authorization-mode=Webhook) so the API server decides through SubjectAccessReview.',
  references: [KUBELET_AUTH, CIS_KUBERNETES],
  aliases: ['CIS-K8S-4.2.2'],
});

export const rule: ControlPlaneRule = {
  meta,
  check(input, ctx) {
    if (!input.kubelet) return [];
    const v = kubeletValue(input.kubelet, { flag: 'authorization-mode', path: ['authorization', 'mode'], configDefault: 'Webhook', flagDefault: 'AlwaysAllow' });
    return v.value.trim() === 'AlwaysAllow' ? [ctx.finding(meta, v.where, `kubelet: ${v.said}`)] : [];
  },
};

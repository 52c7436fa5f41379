import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, KUBELET_AUTH, defineMeta, kubeletValue, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-320',
  title: 'Kubelet accepts anonymous requests',
  severity: 'HIGH',
  rationale:
    'The kubelet API (port 10250) runs commands in containers, reads logs and lists pods. With anonymous authentication on (the --anonymous-auth flag default is true; the KubeletConfiguration default is false), unauthenticated callers reach it as system:anonymous.',
  remediation: 'Set authentication.anonymous.enabled: false in the KubeletConfiguration (or --anonymous-auth=false) and authenticate clients with x509 or webhook authentication.',
  references: [KUBELET_AUTH, CIS_KUBERNETES],
  aliases: ['CIS-K8S-4.2.1'],
});

export const rule: ControlPlaneRule = {
  meta,
  check(input, ctx) {
    if (!input.kubelet) return [];
    const v = kubeletValue(input.kubelet, { flag: 'anonymous-auth', path: ['authentication', 'anonymous', 'enabled'], configDefault: 'false', flagDefault: 'true' });
    return isTrue(v.value) ? [ctx.finding(meta, v.where, `kubelet: ${v.said}; anonymous requests are accepted`)] : [];
  },
};

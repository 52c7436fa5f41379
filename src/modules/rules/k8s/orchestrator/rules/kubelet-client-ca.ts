import { CIS_KUBERNETES, KUBELET_AUTH, defineMeta, kubeletValue, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-322',
  title: 'Kubelet does not verify client certificates',
  severity: 'MEDIUM',
  rationale:
    'Without a client CA file the kubelet cannot authenticate the API server and other clients by certificate; callers are then authenticated only by tokens, or not at all.',
  remediation: 'Set authentication.x509.clientCAFile in the KubeletConfiguration (or --client-ca-file) to the cluster CA, e.g. /etc/kubernetes/pki/ca.crt.',
  references: [KUBELET_AUTH, CIS_KUBERNETES],
  aliases: ['CIS-K8S-4.2.3'],
});

export const rule: ControlPlaneRule = {
  meta,
  check(input, ctx) {
    if (!input.kubelet) return [];
    const v = kubeletValue(input.kubelet, { flag: 'client-ca-file', path: ['authentication', 'x509', 'clientCAFile'], configDefault: '', flagDefault: '' });
    return v.value.trim() === '' ? [ctx.finding(meta, v.where, 'kubelet: neither --client-ca-file nor authentication.x509.clientCAFile is set (no default), so client certificates are not verified')] : [];
  },
};

import { CIS_KUBERNETES, KUBELET_CONFIG_REF, defineMeta, kubeletValue, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-323',
  title: 'Kubelet serves the unauthenticated read-only port',
  severity: 'MEDIUM',
  rationale:
    'The read-only port (10255 when enabled; the --read-only-port flag default, while the KubeletConfiguration default is 0) serves pod specs, environment and metrics with no authentication at all.',
  remediation: 'Set readOnlyPort: 0 in the KubeletConfiguration (or --read-only-port=0).',
  references: [KUBELET_CONFIG_REF, CIS_KUBERNETES],
  aliases: ['CIS-K8S-4.2.4'],
});

export const rule: ControlPlaneRule = {
  meta,
  check(input, ctx) {
    if (!input.kubelet) return [];
    const v = kubeletValue(input.kubelet, { flag: 'read-only-port', path: ['readOnlyPort'], configDefault: '0', flagDefault: '10255' });
    return v.value.trim() !== '0' ? [ctx.finding(meta, v.where, `kubelet: ${v.said}; the read-only port is open`)] : [];
  },
};

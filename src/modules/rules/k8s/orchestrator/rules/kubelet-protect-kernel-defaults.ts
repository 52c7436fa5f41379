import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, KUBELET_CONFIG_REF, defineMeta, kubeletValue, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-324',
  title: 'Kubelet may change kernel parameters',
  severity: 'LOW',
  rationale:
    'With protectKernelDefaults false (the default) the kubelet silently retunes kernel sysctls to what it expects instead of failing on a node whose hardened values differ. CIS Kubernetes Benchmark 1.8 and earlier carried this check as 4.2.6; later versions dropped it and reuse the number, so no CIS alias is given.',
  remediation: 'Set protectKernelDefaults: true in the KubeletConfiguration (or --protect-kernel-defaults=true) and set the kernel parameters the kubelet needs in sysctl.d.',
  references: [KUBELET_CONFIG_REF, CIS_KUBERNETES],
  aliases: [],
});

export const rule: ControlPlaneRule = {
  meta,
  check(input, ctx) {
    if (!input.kubelet) return [];
    const v = kubeletValue(input.kubelet, { flag: 'protect-kernel-defaults', path: ['protectKernelDefaults'], configDefault: 'false', flagDefault: 'false' });
    return isTrue(v.value) ? [] : [ctx.finding(meta, v.where, `kubelet: ${v.said}`)];
  },
};

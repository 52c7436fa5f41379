import type { Finding } from '../../../../../core/finding.js';
import { APISERVER_REF, CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-306',
  title: 'API server serves an insecure HTTP port',
  severity: 'CRITICAL',
  rationale:
    'The insecure port serves the API over plain HTTP with no authentication or authorization. It was removed in Kubernetes 1.24 (CIS Benchmark 1.6 and earlier checked it as 1.2.19), but an old control plane or a copied manifest may still set it.',
  remediation: 'Remove --insecure-port (or set it to 0) and --insecure-bind-address from kube-apiserver; upgrade the control plane.',
  references: [APISERVER_REF, CIS_KUBERNETES],
  aliases: [],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'insecure-port');
      if (!set || set.value.trim() === '0') return [];
      return [ctx.finding(meta, flagWhere(c, 'insecure-port'), `kube-apiserver: --insecure-port=${set.value} serves the API unauthenticated over HTTP`)];
    }),
};

import type { Finding } from '../../../../../core/finding.js';
import { K8S_DOCS, defineMeta, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-013',
  title: 'Service exposed through a NodePort or LoadBalancer',
  severity: 'MEDIUM',
  rationale:
    'A NodePort opens the port on every node\'s address and a LoadBalancer usually on the internet, bypassing the Ingress/gateway layer where TLS, authentication and rate limits live; it is often left over from debugging.',
  remediation: 'Use type ClusterIP behind an Ingress or Gateway; where a LoadBalancer is required, restrict loadBalancerSourceRanges and prefer an internal load balancer.',
  references: [`${K8S_DOCS}concepts/services-networking/service/#publishing-services-service-types`],
  aliases: [],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const o of objects) {
      if (o.kind !== 'Service' || o.apiVersion !== 'v1') continue;
      const spec = o.value.spec as Record<string, unknown> | undefined;
      const type = spec?.type;
      if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
      const ranges = Array.isArray(spec?.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.length : 0;
      const extra = type === 'LoadBalancer' && ranges === 0 ? ' with no loadBalancerSourceRanges' : '';
      out.push(ctx.finding(meta, o, ['spec', 'type'], `Service ${o.name} is of type ${type}${extra}`));
    }
    return out;
  },
};

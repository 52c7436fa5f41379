import type { Finding } from '../../../../../core/finding.js';
import { CHECKOV_K8S, CIS_KUBERNETES, K8S_DOCS, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-012',
  title: 'Object placed in the default namespace',
  severity: 'LOW',
  rationale:
    'The default namespace is where everything without a plan lands: it cannot be given its own RBAC, quotas, NetworkPolicies or Pod Security level without affecting everything else there.',
  remediation: 'Create a namespace per application or team and deploy into it; leave default empty.',
  references: [`${K8S_DOCS}concepts/overview/working-with-objects/namespaces/`, CIS_KUBERNETES, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0061', 'CIS-K8S-5.7.4', 'CKV_K8S_21'],
});

/** What the cluster itself keeps in default. */
function isBuiltIn(kind: string, name: string): boolean {
  return (
    (name === 'kubernetes' && (kind === 'Service' || kind === 'Endpoints' || kind === 'EndpointSlice')) ||
    (name === 'default' && kind === 'ServiceAccount') ||
    (name === 'kube-root-ca.crt' && kind === 'ConfigMap')
  );
}

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const o of objects) {
      if (o.namespace !== 'default' || isBuiltIn(o.kind, o.name)) continue;
      out.push(ctx.finding(meta, o, ['metadata', 'namespace'], `${o.kind} ${o.name} is in the default namespace`));
    }
    return out;
  },
};

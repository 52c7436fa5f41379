import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import type { K8sObject } from '../../../../../k8s/types.js';
import { CIS_KUBERNETES, K8S_DOCS, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-014',
  title: 'Namespace has workloads but no NetworkPolicy',
  severity: 'MEDIUM',
  rationale:
    'Without a NetworkPolicy selecting them, pods accept traffic from every pod in the cluster and reach anything: one compromised pod can talk to every database and every internal API.',
  remediation: 'Add a default-deny NetworkPolicy (ingress and egress) to each namespace and allow the flows each workload needs.',
  references: [`${K8S_DOCS}concepts/services-networking/network-policies/`, CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0260', 'CIS-K8S-5.3.2'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const covered = new Set<string>();
    for (const o of objects) if (o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/')) covered.add(o.namespace ?? '');
    const workloads = new Map<string, K8sObject[]>();
    for (const t of podTemplates(objects)) {
      const ns = t.object.namespace ?? '';
      if (covered.has(ns)) continue;
      const list = workloads.get(ns) ?? [];
      if (!list.includes(t.object)) list.push(t.object);
      workloads.set(ns, list);
    }
    const out: Finding[] = [];
    for (const [ns, list] of [...workloads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const first = list[0]!;
      const where = ns === '' ? 'the namespace the manifests are applied to (no metadata.namespace)' : `namespace ${ns}`;
      const names = list.map((o) => `${o.kind}/${o.name}`).join(', ');
      out.push(ctx.finding(meta, first, ns === '' ? ['metadata'] : ['metadata', 'namespace'], `no NetworkPolicy in the input for ${where}, which runs ${names}`, ns));
    }
    return out;
  },
};

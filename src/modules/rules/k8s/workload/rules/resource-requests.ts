import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, at, containersOf, defineMeta, describeContainer, isRecord, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-002',
  title: 'Container has no CPU or memory request',
  severity: 'MEDIUM',
  rationale:
    'The scheduler places pods by their requests: without them a pod is BestEffort (or Burstable), is packed onto nodes that cannot actually run it, and is the first to be evicted or throttled under pressure, which turns load into an outage.',
  remediation: 'Set resources.requests.cpu and resources.requests.memory on every container to what it needs at steady load (or enforce defaults with a LimitRange).',
  references: [`${K8S_DOCS}concepts/configuration/manage-resources-containers/`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0004', 'C-0050', 'CKV_K8S_10', 'CKV_K8S_12'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t)) {
        const requests = at(c.container, ['resources', 'requests']);
        const limits = at(c.container, ['resources', 'limits']);
        const set = (m: unknown, k: string): boolean => isRecord(m) && m[k] !== undefined && m[k] !== null && m[k] !== '';
        // A request left out defaults to the limit, so a container with limits only is still scheduled by them.
        const missing = ['cpu', 'memory'].filter((k) => !set(requests, k) && !set(limits, k));
        if (missing.length === 0) continue;
        const path = isRecord(requests) ? [...c.path, 'resources', 'requests'] : isRecord(c.container.resources) ? [...c.path, 'resources'] : c.path;
        out.push(ctx.finding(meta, t.object, path, `${describeContainer(c)} has no ${missing.join(' or ')} request`, c.name));
      }
    }
    return out;
  },
};

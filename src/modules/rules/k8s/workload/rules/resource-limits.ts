import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, at, containersOf, defineMeta, describeContainer, isRecord, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-001',
  title: 'Container has no CPU or memory limit',
  severity: 'MEDIUM',
  rationale:
    'Without limits one container can take all the CPU or memory of its node: a bug, a leak or an attacker in one pod starves every other pod there (and memory pressure gets the kubelet to evict them).',
  remediation: 'Set resources.limits.cpu and resources.limits.memory on every container (or enforce defaults with a LimitRange in the namespace).',
  references: [`${K8S_DOCS}concepts/configuration/manage-resources-containers/`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0004', 'C-0050', 'CKV_K8S_11', 'CKV_K8S_13'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t)) {
        const limits = at(c.container, ['resources', 'limits']);
        const missing = ['cpu', 'memory'].filter((k) => !isRecord(limits) || limits[k] === undefined || limits[k] === null || limits[k] === '');
        if (missing.length === 0) continue;
        const path = isRecord(limits) ? [...c.path, 'resources', 'limits'] : isRecord(c.container.resources) ? [...c.path, 'resources'] : c.path;
        out.push(ctx.finding(meta, t.object, path, `${describeContainer(c)} has no ${missing.join(' or ')} limit`, c.name));
      }
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, at, containersOf, defineMeta, describeContainer, isRecord, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-010',
  title: 'Container root filesystem is writable',
  severity: 'LOW',
  rationale:
    'A writable root filesystem lets an intruder drop tools, change binaries and configuration, and persist for the life of the container; an application that writes only to declared volumes can run read-only.',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true on each container and mount emptyDir volumes where it needs to write (/tmp, caches).',
  references: [`${K8S_DOCS}tasks/configure-pod-container/security-context/`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0017', 'CKV_K8S_22'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t)) {
        const value = at(c.container, ['securityContext', 'readOnlyRootFilesystem']);
        if (value === true) continue;
        const path =
          value !== undefined
            ? [...c.path, 'securityContext', 'readOnlyRootFilesystem']
            : isRecord(c.container.securityContext)
              ? [...c.path, 'securityContext']
              : c.path;
        const why = value === undefined ? 'does not set securityContext.readOnlyRootFilesystem' : `sets readOnlyRootFilesystem: ${String(value)}`;
        out.push(ctx.finding(meta, t.object, path, `${describeContainer(c)} ${why}`, c.name));
      }
    }
    return out;
  },
};

import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import type { K8sObject } from '../../../../../k8s/types.js';
import { CHECKOV_K8S, CIS_KUBERNETES, K8S_DOCS, KUBESCAPE_CONTROLS, defineMeta, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-008',
  title: 'Service account token is mounted automatically',
  severity: 'MEDIUM',
  rationale:
    'Unless automountServiceAccountToken is false (on the pod or its ServiceAccount), every container gets an API token; most applications never call the API, and whoever compromises the container gets whatever RBAC that service account has.',
  remediation:
    'Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount) and mount a projected token only in pods that call the Kubernetes API.',
  references: [`${K8S_DOCS}tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting`, CIS_KUBERNETES, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0034', 'CIS-K8S-5.1.6', 'CKV_K8S_38'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    const accounts = new Map<string, K8sObject>();
    for (const o of objects) if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') accounts.set(`${o.namespace ?? ''}/${o.name}`, o);
    for (const t of podTemplates(objects)) {
      const podSetting = t.spec.automountServiceAccountToken;
      if (podSetting === false) continue;
      const saName =
        typeof t.spec.serviceAccountName === 'string' && t.spec.serviceAccountName !== ''
          ? t.spec.serviceAccountName
          : typeof t.spec.serviceAccount === 'string' && t.spec.serviceAccount !== ''
            ? t.spec.serviceAccount
            : 'default';
      if (podSetting === true) {
        out.push(ctx.finding(meta, t.object, [...t.specPath, 'automountServiceAccountToken'], `the pod spec sets automountServiceAccountToken: true (service account ${saName})`));
        continue;
      }
      const sa = accounts.get(`${t.object.namespace ?? ''}/${saName}`);
      if (sa && sa.value.automountServiceAccountToken === false) continue;
      out.push(
        ctx.finding(
          meta,
          t.object,
          t.specPath,
          `the pod spec leaves automountServiceAccountToken unset and service account ${saName} ${sa ? 'does not set it to false' : 'is not in the input with it set to false'}`,
        ),
      );
    }
    return out;
  },
};

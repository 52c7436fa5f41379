import { label, pssMeta, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'runAsNonRoot',
  level: 'restricted',
  meta: pssMeta('runAsNonRoot', 'restricted', {
    id: 'BW-PSS-015',
    title: 'Containers are not required to run as non-root',
    severity: 'MEDIUM',
    aliases: ['CKV_K8S_23', 'C-0013', 'CIS-K8S-5.2.7'],
    rationale:
      'Without runAsNonRoot: true the kubelet starts the image\'s user, often root; root in a container is one kernel or runtime bug away from root on the node.',
    remediation:
      'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser) and do not override it with false on a container. Pods in a user namespace (hostUsers: false) are exempt.',
  }),
  check(pod) {
    // Policy 1.35: pods in a user namespace are exempt.
    if (pod.userNamespace) return [];
    const out: Violation[] = [];
    const podValue = pod.podSecurityContext.runAsNonRoot;
    if (podValue === false) out.push(specViolation(['securityContext', 'runAsNonRoot'], 'pod sets runAsNonRoot: false'));
    for (const c of pod.containers) {
      const value = c.securityContext.runAsNonRoot;
      if (value === false) out.push(specViolation([...c.path, 'securityContext', 'runAsNonRoot'], `${label(c)} sets runAsNonRoot: false`));
      else if (value === undefined && podValue !== true) {
        out.push(specViolation([...c.path, 'securityContext', 'runAsNonRoot'], `${label(c)} does not set runAsNonRoot: true and the pod does not either`));
      }
    }
    return out;
  },
};

import { label, pssMeta, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'runAsUser',
  level: 'restricted',
  meta: pssMeta('runAsUser', 'restricted', {
    id: 'BW-PSS-016',
    title: 'Pod or container runs as UID 0',
    severity: 'MEDIUM',
    rationale: 'runAsUser: 0 runs the process as root explicitly, whatever the image says.',
    remediation: 'Set runAsUser to a non-zero UID (or leave it unset with runAsNonRoot: true). Pods in a user namespace (hostUsers: false) are exempt.',
  }),
  check(pod) {
    if (pod.userNamespace) return [];
    const out: Violation[] = [];
    if (pod.podSecurityContext.runAsUser === 0) out.push(specViolation(['securityContext', 'runAsUser'], 'pod sets runAsUser: 0'));
    for (const c of pod.containers) {
      if (c.securityContext.runAsUser === 0) out.push(specViolation([...c.path, 'securityContext', 'runAsUser'], `${label(c)} sets runAsUser: 0`));
    }
    return out;
  },
};

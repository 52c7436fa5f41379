import { label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'seccompProfile_baseline',
  level: 'baseline',
  meta: pssMeta('seccompProfile_baseline', 'baseline', {
    id: 'BW-PSS-009',
    title: 'Seccomp profile set to Unconfined',
    severity: 'MEDIUM',
    rationale:
      'An Unconfined seccomp profile lets the container call every syscall, including the ones behind most container-escape kernel bugs.',
    remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile) at pod level; never Unconfined.',
  }),
  check(pod) {
    const out: Violation[] = [];
    if (rec(pod.podSecurityContext.seccompProfile).type === 'Unconfined') {
      out.push(specViolation(['securityContext', 'seccompProfile', 'type'], 'pod seccompProfile type is "Unconfined"'));
    }
    for (const c of pod.containers) {
      if (rec(c.securityContext.seccompProfile).type === 'Unconfined') {
        out.push(specViolation([...c.path, 'securityContext', 'seccompProfile', 'type'], `${label(c)} seccompProfile type is "Unconfined"`));
      }
    }
    return out;
  },
};

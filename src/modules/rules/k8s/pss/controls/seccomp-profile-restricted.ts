import { label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

const VALID = new Set(['RuntimeDefault', 'Localhost']);

export const control: PssControl = {
  control: 'seccompProfile_restricted',
  level: 'restricted',
  overrides: ['seccompProfile_baseline'],
  meta: pssMeta('seccompProfile_restricted', 'restricted', {
    id: 'BW-PSS-017',
    title: 'Seccomp profile not set to RuntimeDefault or Localhost',
    severity: 'MEDIUM',
    aliases: ['CKV_K8S_31', 'CIS-K8S-5.7.2'],
    rationale:
      'Kubernetes runs containers without seccomp unless a profile is set; RuntimeDefault blocks the rarely used syscalls most kernel exploits need.',
    remediation:
      'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost), or set it on every container; never Unconfined.',
  }),
  check(pod) {
    if (pod.windows) return [];
    const out: Violation[] = [];
    const podProfile = pod.podSecurityContext.seccompProfile;
    const podSet = podProfile !== undefined && podProfile !== null;
    if (podSet) {
      const type = rec(podProfile).type;
      if (!(typeof type === 'string' && VALID.has(type))) {
        out.push(specViolation(['securityContext', 'seccompProfile', 'type'], `pod seccompProfile type is ${JSON.stringify(type ?? null)}`));
      }
    }
    for (const c of pod.containers) {
      const profile = c.securityContext.seccompProfile;
      const at = [...c.path, 'securityContext', 'seccompProfile'];
      if (profile === undefined || profile === null) {
        if (!podSet) out.push(specViolation([...at, 'type'], `${label(c)} has no seccompProfile and the pod sets none`));
        continue;
      }
      const type = rec(profile).type;
      if (!(typeof type === 'string' && VALID.has(type))) out.push(specViolation([...at, 'type'], `${label(c)} seccompProfile type is ${JSON.stringify(type ?? null)}`));
    }
    return out;
  },
};

import { label, pssMeta, specViolation, type PssControl } from '../control.js';

export const control: PssControl = {
  control: 'privileged',
  level: 'baseline',
  meta: pssMeta('privileged', 'baseline', {
    id: 'BW-PSS-002',
    title: 'Privileged container',
    severity: 'CRITICAL',
    aliases: ['CKV_K8S_16', 'C-0057', 'CIS-K8S-5.2.2'],
    rationale:
      'A privileged container gets every capability, every host device and no seccomp, AppArmor or SELinux confinement: it is root on the node in all but name.',
    remediation: 'Remove securityContext.privileged (or set it to false) and grant only the capabilities the container needs.',
  }),
  check(pod) {
    return pod.containers
      .filter((c) => c.securityContext.privileged === true)
      .map((c) => specViolation([...c.path, 'securityContext', 'privileged'], `${label(c)} is privileged`));
  },
};

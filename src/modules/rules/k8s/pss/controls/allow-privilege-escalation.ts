import { label, pssMeta, specViolation, type PssControl } from '../control.js';

export const control: PssControl = {
  control: 'allowPrivilegeEscalation',
  level: 'restricted',
  meta: pssMeta('allowPrivilegeEscalation', 'restricted', {
    id: 'BW-PSS-014',
    title: 'Container does not set allowPrivilegeEscalation: false',
    severity: 'MEDIUM',
    aliases: ['CKV_K8S_20', 'C-0016', 'CIS-K8S-5.2.6'],
    rationale:
      'Unless allowPrivilegeEscalation is false, no_new_privs is not set and a process can gain privileges through setuid binaries or file capabilities; it defaults to true.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.',
  }),
  check(pod) {
    if (pod.windows) return [];
    return pod.containers
      .filter((c) => c.securityContext.allowPrivilegeEscalation !== false)
      .map((c) =>
        specViolation(
          [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
          c.securityContext.allowPrivilegeEscalation === undefined
            ? `${label(c)} does not set allowPrivilegeEscalation: false`
            : `${label(c)} sets allowPrivilegeEscalation: ${JSON.stringify(c.securityContext.allowPrivilegeEscalation)}`,
        ),
      );
  },
};

import { pssMeta, type PssControl } from '../control.js';
import { procMountViolations } from './proc-mount.js';

export const control: PssControl = {
  control: 'procMount_restricted',
  level: 'restricted',
  overrides: ['procMount'],
  meta: pssMeta('procMount_restricted', 'restricted', {
    id: 'BW-PSS-019',
    title: 'Container unmasks /proc (restricted, user namespaces included)',
    severity: 'MEDIUM',
    rationale:
      'The restricted standard allows only the Default procMount, also for pods in a user namespace that baseline lets unmask /proc (policy 1.35).',
    remediation: 'Remove securityContext.procMount or set it to Default.',
  }),
  check(pod) {
    return procMountViolations(pod);
  },
};

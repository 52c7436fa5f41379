import { label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'windowsHostProcess',
  level: 'baseline',
  meta: pssMeta('windowsHostProcess', 'baseline', {
    id: 'BW-PSS-011',
    title: 'Windows HostProcess container',
    severity: 'CRITICAL',
    aliases: ['CIS-K8S-5.2.11'],
    rationale: 'A Windows HostProcess container runs directly on the node with host network and filesystem access: it is privileged access to the Windows node.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) at pod and container level.',
  }),
  check(pod) {
    const out: Violation[] = [];
    if (rec(pod.podSecurityContext.windowsOptions).hostProcess === true) {
      out.push(specViolation(['securityContext', 'windowsOptions', 'hostProcess'], 'pod sets windowsOptions.hostProcess'));
    }
    for (const c of pod.containers) {
      if (rec(c.securityContext.windowsOptions).hostProcess === true) {
        out.push(specViolation([...c.path, 'securityContext', 'windowsOptions', 'hostProcess'], `${label(c)} sets windowsOptions.hostProcess`));
      }
    }
    return out;
  },
};

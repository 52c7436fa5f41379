import { arr, label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'hostPorts',
  level: 'baseline',
  meta: pssMeta('hostPorts', 'baseline', {
    id: 'BW-PSS-005',
    title: 'Container binds a host port',
    severity: 'MEDIUM',
    aliases: ['CKV_K8S_26', 'C-0044', 'CIS-K8S-5.2.13'],
    rationale:
      'A hostPort opens the port on the node\'s own addresses, bypassing Services and most NetworkPolicy implementations, and pins the pod to nodes where the port is free.',
    remediation: 'Remove ports[].hostPort (or set it to 0) and expose the pod through a Service.',
  }),
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      arr(c.value.ports).forEach((p, i) => {
        const hostPort = rec(p).hostPort;
        if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
          out.push(specViolation([...c.path, 'ports', i, 'hostPort'], `${label(c)} binds host port ${String(hostPort)}`));
        }
      });
    }
    return out;
  },
};

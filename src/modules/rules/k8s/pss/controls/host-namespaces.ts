import { pssMeta, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'hostNamespaces',
  level: 'baseline',
  meta: pssMeta('hostNamespaces', 'baseline', {
    id: 'BW-PSS-001',
    title: 'Pod shares the host network, PID or IPC namespace',
    severity: 'HIGH',
    aliases: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'C-0038', 'C-0041', 'CIS-K8S-5.2.3', 'CIS-K8S-5.2.4', 'CIS-K8S-5.2.5'],
    rationale:
      'hostNetwork, hostPID and hostIPC put the pod in the node\'s own namespaces: it sees and can signal every process on the node, reads other pods\' shared memory and binds or sniffs node interfaces, including services bound to localhost.',
    remediation: 'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false).',
  }),
  check(pod) {
    const out: Violation[] = [];
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (pod.spec[field] === true) out.push(specViolation([field], `${field} is true`));
    }
    return out;
  },
};

import { arr, label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

/** check_capabilities_baseline.go: the only capabilities baseline lets a container add (exact, case-sensitive). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const control: PssControl = {
  control: 'capabilities_baseline',
  level: 'baseline',
  meta: pssMeta('capabilities_baseline', 'baseline', {
    id: 'BW-PSS-003',
    title: 'Container adds a capability beyond the default set',
    severity: 'HIGH',
    aliases: ['CKV_K8S_25', 'C-0046', 'CIS-K8S-5.2.9'],
    rationale:
      'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give root-like power over the kernel, the network or other processes; the baseline standard allows adding only the runtime\'s default set.',
    remediation: `Add only capabilities from ${[...BASELINE_CAPABILITIES].join(', ')}; drop the rest. Names are case-sensitive and without the CAP_ prefix.`,
  }),
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      arr(rec(c.securityContext.capabilities).add).forEach((cap, i) => {
        if (typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)) return;
        out.push(specViolation([...c.path, 'securityContext', 'capabilities', 'add', i], `${label(c)} adds capability ${JSON.stringify(cap)}`));
      });
    }
    return out;
  },
};

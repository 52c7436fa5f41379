import { arr, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

/** check_sysctls.go: the namespaced, safe sysctls (policy 1.32). */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

export const control: PssControl = {
  control: 'sysctls',
  level: 'baseline',
  meta: pssMeta('sysctls', 'baseline', {
    id: 'BW-PSS-010',
    title: 'Pod sets an unsafe sysctl',
    severity: 'MEDIUM',
    rationale:
      'Sysctls outside the safe, namespaced set can change kernel behaviour for every pod on the node or weaken isolation.',
    remediation: `Set only sysctls from the safe set: ${[...SAFE_SYSCTLS].join(', ')}.`,
  }),
  check(pod) {
    const out: Violation[] = [];
    arr(pod.podSecurityContext.sysctls).forEach((s, i) => {
      const name = rec(s).name;
      if (typeof name === 'string' && SAFE_SYSCTLS.has(name)) return;
      out.push(specViolation(['securityContext', 'sysctls', i, 'name'], `pod sets sysctl ${JSON.stringify(name ?? '')}`));
    });
    return out;
  },
};

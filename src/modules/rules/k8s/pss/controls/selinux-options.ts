import { label, pssMeta, rec, specViolation, type FieldPath, type PssControl, type Violation } from '../control.js';

/** check_seLinuxOptions.go, policy 1.31+. */
export const SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function judge(options: unknown, at: FieldPath, who: string, out: Violation[]): void {
  const o = rec(options);
  if (o.type !== undefined && o.type !== null && !(typeof o.type === 'string' && SELINUX_TYPES.has(o.type))) {
    out.push(specViolation([...at, 'type'], `${who} seLinuxOptions type is ${JSON.stringify(o.type)}`));
  }
  for (const field of ['user', 'role'] as const) {
    const v = o[field];
    if (v !== undefined && v !== null && v !== '') out.push(specViolation([...at, field], `${who} sets seLinuxOptions ${field} ${JSON.stringify(v)}`));
  }
}

export const control: PssControl = {
  control: 'seLinuxOptions',
  level: 'baseline',
  meta: pssMeta('seLinuxOptions', 'baseline', {
    id: 'BW-PSS-007',
    title: 'Custom SELinux user, role or type',
    severity: 'MEDIUM',
    rationale:
      'Setting an SELinux type outside the container types, or any user or role, can run the container in a more privileged or unconfined SELinux domain.',
    remediation: `Leave seLinuxOptions.user and .role unset and use a type from: ${[...SELINUX_TYPES].filter((t) => t).join(', ')} (or leave it unset).`,
  }),
  check(pod) {
    const out: Violation[] = [];
    judge(pod.podSecurityContext.seLinuxOptions, ['securityContext', 'seLinuxOptions'], 'pod', out);
    for (const c of pod.containers) judge(c.securityContext.seLinuxOptions, [...c.path, 'securityContext', 'seLinuxOptions'], label(c), out);
    return out;
  },
};

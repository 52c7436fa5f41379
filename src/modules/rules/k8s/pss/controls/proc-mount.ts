import { label, pssMeta, specViolation, type PodView, type PssControl, type Violation } from '../control.js';

/** procMount must be unset or Default (check_procMount_baseline.go procMount_1_0). */
export function procMountViolations(pod: PodView): Violation[] {
  return pod.containers
    .filter((c) => c.securityContext.procMount !== undefined && c.securityContext.procMount !== null && c.securityContext.procMount !== 'Default')
    .map((c) => specViolation([...c.path, 'securityContext', 'procMount'], `${label(c)} sets procMount ${JSON.stringify(c.securityContext.procMount)}`));
}

export const control: PssControl = {
  control: 'procMount',
  level: 'baseline',
  meta: pssMeta('procMount', 'baseline', {
    id: 'BW-PSS-008',
    title: 'Container unmasks /proc',
    severity: 'MEDIUM',
    rationale:
      'procMount: Unmasked removes the masks and read-only paths the runtime puts over sensitive parts of /proc and /sys, exposing host kernel information and knobs.',
    remediation:
      'Remove securityContext.procMount or set it to Default. Baseline (policy 1.35+) allows Unmasked only for pods in a user namespace (spec.hostUsers: false).',
  }),
  check(pod) {
    // Policy 1.35: baseline skips the check for pods in a user namespace; restricted re-applies it (procMount_restricted).
    if (pod.userNamespace) return [];
    return procMountViolations(pod);
  },
};

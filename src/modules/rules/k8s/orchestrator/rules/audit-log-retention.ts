import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-309',
  title: 'API server audit log retention is too short',
  severity: 'LOW',
  rationale:
    'With audit logging on, --audit-log-maxage, --audit-log-maxbackup and --audit-log-maxsize decide how much history survives rotation; unset, old files are kept by no age or count rule, and small values lose the trail an investigation needs.',
  remediation: 'Set --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more) on kube-apiserver, or ship audit events off the node.',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.17', 'CIS-K8S-1.2.18', 'CIS-K8S-1.2.19'],
});

const MINIMUMS = [
  ['audit-log-maxage', 30, 'days'],
  ['audit-log-maxbackup', 10, 'files'],
  ['audit-log-maxsize', 100, 'MB'],
] as const;

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      if (!flag(c, 'audit-log-path')?.value.trim()) return [];
      return MINIMUMS.flatMap(([name, minimum, unit]) => {
        const set = flag(c, name);
        const n = set ? Number(set.value) : NaN;
        if (set && Number.isFinite(n) && n >= minimum) return [];
        const why = set ? `--${name}=${set.value} is below ${minimum} ${unit}` : `--${name} is not set (recommended ${minimum} ${unit} or more)`;
        return [ctx.finding(meta, flagWhere(c, name), `kube-apiserver: ${why}`, name)];
      });
    }),
};

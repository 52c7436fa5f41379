import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-308',
  title: 'API server audit logging is off',
  severity: 'MEDIUM',
  rationale: 'Without --audit-log-path (or an audit webhook) there is no record of who read secrets, exec-ed into pods or changed RBAC; an intrusion cannot be reconstructed.',
  remediation: 'Set --audit-log-path and --audit-policy-file on kube-apiserver (mount both paths into the static pod).',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.16'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const path = flag(c, 'audit-log-path')?.value.trim();
      if (path) return [];
      const why = flag(c, 'audit-webhook-config-file') ? ' (an audit webhook is configured, but no local log)' : '';
      return [ctx.finding(meta, flagWhere(c, 'audit-log-path'), `kube-apiserver: --audit-log-path is not set${why}`)];
    }),
};

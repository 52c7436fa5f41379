import type { Finding } from '../../../../../core/finding.js';
import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, ETCD_SECURITY, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-312',
  title: 'etcd does not require client certificates',
  severity: 'HIGH',
  rationale: '--client-cert-auth defaults to false: anyone who can reach the etcd client port reads and writes the whole cluster state without credentials.',
  remediation: 'Set --client-cert-auth=true and --trusted-ca-file on etcd.',
  references: [ETCD_SECURITY, CIS_KUBERNETES],
  aliases: ['CIS-K8S-2.2'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['etcd'], (c): Finding[] => {
      const set = flag(c, 'client-cert-auth');
      if (set && isTrue(set.value)) return [];
      const why = set ? `--client-cert-auth=${set.value}` : '--client-cert-auth is not set and defaults to false';
      return [ctx.finding(meta, flagWhere(c, 'client-cert-auth'), `etcd: ${why}`)];
    }),
};

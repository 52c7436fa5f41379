import type { Finding } from '../../../../../core/finding.js';
import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, ETCD_SECURITY, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-314',
  title: 'etcd peer traffic is not encrypted and authenticated',
  severity: 'MEDIUM',
  rationale:
    'etcd members replicate the whole cluster state to each other; without --peer-cert-file/--peer-key-file that traffic is plain text, and without --peer-client-cert-auth=true any host can join as a peer.',
  remediation: 'Set --peer-cert-file, --peer-key-file, --peer-trusted-ca-file and --peer-client-cert-auth=true on every etcd member.',
  references: [ETCD_SECURITY, CIS_KUBERNETES],
  aliases: ['CIS-K8S-2.4', 'CIS-K8S-2.5'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['etcd'], (c): Finding[] => {
      const out: Finding[] = ['peer-cert-file', 'peer-key-file']
        .filter((name) => !flag(c, name)?.value.trim())
        .map((name) => ctx.finding(meta, flagWhere(c, name), `etcd: --${name} is not set`, name));
      const auth = flag(c, 'peer-client-cert-auth');
      if (!auth || !isTrue(auth.value)) {
        const why = auth ? `--peer-client-cert-auth=${auth.value}` : '--peer-client-cert-auth is not set and defaults to false';
        out.push(ctx.finding(meta, flagWhere(c, 'peer-client-cert-auth'), `etcd: ${why}`, 'peer-client-cert-auth'));
      }
      return out;
    }),
};

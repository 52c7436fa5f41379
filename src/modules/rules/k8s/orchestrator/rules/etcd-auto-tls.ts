import type { Finding } from '../../../../../core/finding.js';
import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { CIS_KUBERNETES, ETCD_SECURITY, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-313',
  title: 'etcd uses self-signed automatic TLS certificates',
  severity: 'MEDIUM',
  rationale: '--auto-tls and --peer-auto-tls make etcd generate self-signed certificates that no client or peer can verify, which gives encryption without authentication.',
  remediation: 'Remove --auto-tls and --peer-auto-tls (or set them to false) and configure certificates issued by the etcd CA.',
  references: [ETCD_SECURITY, CIS_KUBERNETES],
  aliases: ['CIS-K8S-2.3', 'CIS-K8S-2.6'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['etcd'], (c): Finding[] =>
      ['auto-tls', 'peer-auto-tls']
        .filter((name) => isTrue(flag(c, name)?.value))
        .map((name) => ctx.finding(meta, flagWhere(c, name), `etcd: --${name}=true`, name)),
    ),
};

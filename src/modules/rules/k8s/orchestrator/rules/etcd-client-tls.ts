import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, ETCD_SECURITY, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-311',
  title: 'etcd serves clients without TLS',
  severity: 'HIGH',
  rationale: 'Without --cert-file and --key-file etcd serves its client API in plain text: the cluster state, secrets included, crosses the network unencrypted.',
  remediation: 'Set --cert-file and --key-file on etcd and serve clients on https:// URLs only.',
  references: [ETCD_SECURITY, CIS_KUBERNETES],
  aliases: ['CIS-K8S-2.1'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['etcd'], (c): Finding[] =>
      ['cert-file', 'key-file']
        .filter((name) => !flag(c, name)?.value.trim())
        .map((name) => ctx.finding(meta, flagWhere(c, name), `etcd: --${name} is not set`, name)),
    ),
};

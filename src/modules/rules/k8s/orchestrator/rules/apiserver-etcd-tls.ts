import type { Finding } from '../../../../../core/finding.js';
import { CIS_KUBERNETES, ETCD_SECURITY, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-310',
  title: 'API server does not use TLS client authentication to etcd',
  severity: 'HIGH',
  rationale:
    'etcd holds every secret of the cluster. Without --etcd-certfile/--etcd-keyfile the API server cannot authenticate to an etcd that requires client certificates, and without --etcd-cafile it does not verify that it talks to the real etcd.',
  remediation: 'Set --etcd-cafile, --etcd-certfile and --etcd-keyfile on kube-apiserver (kubeadm uses /etc/kubernetes/pki/etcd/ca.crt and apiserver-etcd-client.{crt,key}).',
  references: [ETCD_SECURITY, 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.23', 'CIS-K8S-1.2.26'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] =>
      ['etcd-certfile', 'etcd-keyfile', 'etcd-cafile']
        .filter((name) => !flag(c, name)?.value.trim())
        .map((name) => ctx.finding(meta, flagWhere(c, name), `kube-apiserver: --${name} is not set`, name)),
    ),
};

import type { Finding } from '../../../../../core/finding.js';
import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import { APISERVER_REF, CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-301',
  title: 'API server accepts anonymous requests',
  severity: 'MEDIUM',
  rationale:
    'With --anonymous-auth left at its default (true), requests without credentials reach the API server as system:anonymous; any RBAC grant to that user or to system:unauthenticated becomes reachable from the network.',
  remediation: 'Set --anonymous-auth=false in /etc/kubernetes/manifests/kube-apiserver.yaml (or restrict anonymous access to health endpoints with an AuthenticationConfiguration).',
  references: [APISERVER_REF, CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.1'],
});

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, ['kube-apiserver'], (c): Finding[] => {
      const set = flag(c, 'anonymous-auth');
      if (set && !isTrue(set.value)) return [];
      const why = set ? `--anonymous-auth=${set.value}` : '--anonymous-auth is not set and defaults to true';
      return [ctx.finding(meta, flagWhere(c, 'anonymous-auth'), `kube-apiserver: ${why}; unauthenticated requests are served as system:anonymous`)];
    }),
};

import type { Finding } from '../../../../../core/finding.js';
import { isTrue } from '../../../../../k8s/orchestrator/flags.js';
import type { ControlPlaneComponent } from '../../../../../k8s/orchestrator/control-plane.js';
import { CIS_KUBERNETES, defineMeta, eachComponent, flag, flagWhere, type ControlPlaneRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-307',
  title: 'Control-plane component exposes profiling endpoints',
  severity: 'LOW',
  rationale:
    'kube-apiserver, kube-controller-manager and kube-scheduler serve /debug/pprof by default (--profiling defaults to true); profiles reveal internals and can be used to load the component, and they are rarely needed in production.',
  remediation: 'Set --profiling=false on kube-apiserver, kube-controller-manager and kube-scheduler.',
  references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/', CIS_KUBERNETES],
  aliases: ['CIS-K8S-1.2.15', 'CIS-K8S-1.3.2', 'CIS-K8S-1.4.1'],
});

const COMPONENTS: readonly ControlPlaneComponent[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

export const rule: ControlPlaneRule = {
  meta,
  check: (input, ctx) =>
    eachComponent(input, COMPONENTS, (c): Finding[] => {
      const set = flag(c, 'profiling');
      if (set && !isTrue(set.value)) return [];
      const why = set ? `--profiling=${set.value}` : '--profiling is not set and defaults to true';
      return [ctx.finding(meta, flagWhere(c, 'profiling'), `${c.component}: ${why}`, c.component)];
    }),
};

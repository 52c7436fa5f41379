import { label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  meta: pssMeta('hostProbesAndHostLifecycle', 'baseline', {
    id: 'BW-PSS-012',
    title: 'Probe or lifecycle hook targets another host',
    severity: 'MEDIUM',
    rationale:
      'A host on an httpGet or tcpSocket probe or lifecycle hook makes the kubelet connect to an arbitrary address from the node, a server-side request forgery that reaches node-local and internal services.',
    remediation: 'Leave httpGet.host and tcpSocket.host unset (they default to the pod IP).',
  }),
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const handlers: [string[], unknown][] = [
        ...(['livenessProbe', 'readinessProbe', 'startupProbe'] as const).map((p): [string[], unknown] => [[p], c.value[p]]),
        ...(['postStart', 'preStop'] as const).map((h): [string[], unknown] => [['lifecycle', h], rec(c.value.lifecycle)[h]]),
      ];
      for (const [at, handler] of handlers) {
        for (const kind of ['httpGet', 'tcpSocket'] as const) {
          const host = rec(rec(handler)[kind]).host;
          if (host !== undefined && host !== null && host !== '') {
            out.push(specViolation([...c.path, ...at, kind, 'host'], `${label(c)} ${at.join('.')} ${kind} targets host ${JSON.stringify(host)}`));
          }
        }
      }
    }
    return out;
  },
};

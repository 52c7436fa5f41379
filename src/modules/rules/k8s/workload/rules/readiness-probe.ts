import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, defineMeta } from '../support.js';
import { missingProbeRule } from './missing-probe.js';

export const meta = defineMeta({
  id: 'BW-K8S-007',
  title: 'Container has no readiness probe',
  severity: 'LOW',
  rationale:
    'Without a readiness probe a pod receives Service traffic as soon as its process starts, before it can answer, and keeps receiving it while it cannot (overloaded, lost its database), so rollouts and failures surface as errors to clients.',
  remediation: 'Add a readinessProbe (httpGet, tcpSocket, grpc or exec) to each long-running container; batch Jobs are not checked.',
  references: [`${K8S_DOCS}tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0018', 'CKV_K8S_9'],
});

export const rule = missingProbeRule(meta, 'readinessProbe');

import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, defineMeta } from '../support.js';
import { missingProbeRule } from './missing-probe.js';

export const meta = defineMeta({
  id: 'BW-K8S-006',
  title: 'Container has no liveness probe',
  severity: 'LOW',
  rationale:
    'Without a liveness probe a container that hangs (deadlock, exhausted pool) keeps running and keeps receiving its share of traffic until someone notices; the kubelet only restarts what it can see failing.',
  remediation: 'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) to each long-running container; batch Jobs are not checked.',
  references: [`${K8S_DOCS}tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0056', 'CKV_K8S_8'],
});

export const rule = missingProbeRule(meta, 'livenessProbe');

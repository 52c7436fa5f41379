import { arr, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'hostPathVolumes',
  level: 'baseline',
  meta: pssMeta('hostPathVolumes', 'baseline', {
    id: 'BW-PSS-004',
    title: 'Pod mounts a hostPath volume',
    severity: 'HIGH',
    aliases: ['C-0048', 'CIS-K8S-5.2.12'],
    rationale:
      'A hostPath volume exposes the node\'s filesystem to the pod: the container runtime socket, kubelet credentials or /etc are one mount away from a node takeover.',
    remediation: 'Use emptyDir, configMap, secret, projected or persistentVolumeClaim volumes instead of hostPath.',
  }),
  check(pod) {
    const out: Violation[] = [];
    arr(pod.spec.volumes).forEach((v, i) => {
      const vol = rec(v);
      if (vol.hostPath !== undefined && vol.hostPath !== null) {
        out.push(specViolation(['volumes', i, 'hostPath'], `volume "${String(vol.name ?? i)}" is a hostPath of ${JSON.stringify(rec(vol.hostPath).path ?? '')}`));
      }
    });
    return out;
  },
};

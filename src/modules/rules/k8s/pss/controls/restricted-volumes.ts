import { arr, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

/** check_restrictedVolumes.go: the volume types restricted allows (image since 1.33). */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

export const control: PssControl = {
  control: 'restrictedVolumes',
  level: 'restricted',
  overrides: ['hostPathVolumes'],
  meta: pssMeta('restrictedVolumes', 'restricted', {
    id: 'BW-PSS-013',
    title: 'Pod uses a volume type outside the restricted set',
    severity: 'MEDIUM',
    rationale:
      'Volume types other than configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret reach the node (hostPath) or mount network storage directly with credentials and options the pod author controls.',
    remediation: `Use only ${[...RESTRICTED_VOLUME_TYPES].join(', ')} volumes; reach other storage through a PersistentVolumeClaim.`,
  }),
  check(pod) {
    const out: Violation[] = [];
    arr(pod.spec.volumes).forEach((v, i) => {
      const vol = rec(v);
      for (const [key, value] of Object.entries(vol)) {
        if (key === 'name' || value === null || value === undefined || RESTRICTED_VOLUME_TYPES.has(key)) continue;
        out.push(specViolation(['volumes', i, key], `volume "${String(vol.name ?? i)}" is of type ${key}`));
      }
    });
    return out;
  },
};

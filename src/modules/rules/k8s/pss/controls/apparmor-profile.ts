import { label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

export const control: PssControl = {
  control: 'appArmorProfile',
  level: 'baseline',
  meta: pssMeta('appArmorProfile', 'baseline', {
    id: 'BW-PSS-006',
    title: 'AppArmor profile set to Unconfined',
    severity: 'MEDIUM',
    rationale:
      'An unconfined AppArmor profile removes the mandatory-access-control layer the runtime\'s default profile provides (denied mounts, /proc and /sys writes).',
    remediation:
      'Leave appArmorProfile unset or set its type to RuntimeDefault or Localhost; on older clusters set the container.apparmor.security.beta.kubernetes.io/<container> annotation to runtime/default or localhost/<profile>.',
  }),
  check(pod) {
    const out: Violation[] = [];
    const podType = rec(pod.podSecurityContext.appArmorProfile).type;
    if (podType !== undefined && !(typeof podType === 'string' && ALLOWED_TYPES.has(podType))) {
      out.push(specViolation(['securityContext', 'appArmorProfile', 'type'], `pod appArmorProfile type is ${JSON.stringify(podType)}`));
    }
    for (const c of pod.containers) {
      const type = rec(c.securityContext.appArmorProfile).type;
      if (type !== undefined && !(typeof type === 'string' && ALLOWED_TYPES.has(type))) {
        out.push(specViolation([...c.path, 'securityContext', 'appArmorProfile', 'type'], `${label(c)} appArmorProfile type is ${JSON.stringify(type)}`));
      }
    }
    for (const [key, value] of Object.entries(rec(pod.metadata.annotations))) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const v = typeof value === 'string' ? value : String(value);
      if (v === '' || v === 'runtime/default' || v.startsWith('localhost/')) continue;
      out.push({ in: 'metadata', path: ['annotations', key], message: `annotation ${key} is ${JSON.stringify(v)}` });
    }
    return out;
  },
};

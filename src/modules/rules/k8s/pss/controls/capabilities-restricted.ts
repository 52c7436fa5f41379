import { arr, label, pssMeta, rec, specViolation, type PssControl, type Violation } from '../control.js';

export const control: PssControl = {
  control: 'capabilities_restricted',
  level: 'restricted',
  overrides: ['capabilities_baseline'],
  meta: pssMeta('capabilities_restricted', 'restricted', {
    id: 'BW-PSS-018',
    title: 'Container does not drop ALL capabilities or adds one other than NET_BIND_SERVICE',
    severity: 'MEDIUM',
    aliases: ['CKV_K8S_28', 'CKV_K8S_37', 'CIS-K8S-5.2.8', 'CIS-K8S-5.2.10'],
    rationale:
      'Containers start with the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...); the restricted standard requires dropping all of them and adding back at most NET_BIND_SERVICE.',
    remediation:
      'Set securityContext.capabilities.drop: ["ALL"] (upper case, exactly as Pod Security Admission compares it) and add only NET_BIND_SERVICE.',
  }),
  check(pod) {
    if (pod.windows) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const caps = rec(c.securityContext.capabilities);
      const at = [...c.path, 'securityContext', 'capabilities'];
      const drop = arr(caps.drop);
      // PSA compares with "ALL" exactly: a lowercase "all" does not satisfy the control.
      if (!drop.includes('ALL')) {
        const near = drop.findIndex((d) => typeof d === 'string' && d.toUpperCase() === 'ALL');
        out.push(
          near >= 0
            ? specViolation([...at, 'drop', near], `${label(c)} drops ${JSON.stringify(drop[near])}; Pod Security Admission requires "ALL" in upper case`)
            : specViolation([...at, 'drop'], `${label(c)} does not drop ALL capabilities`),
        );
      }
      arr(caps.add).forEach((cap, i) => {
        if (cap !== 'NET_BIND_SERVICE') out.push(specViolation([...at, 'add', i], `${label(c)} adds capability ${JSON.stringify(cap)}`));
      });
    }
    return out;
  },
};

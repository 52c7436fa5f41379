import { DOCKER_RUN, DOCKER_SECURITY, defineCheck, engineOf, perContainer, securityOpts } from './support.js';

/** Names in `docker info`'s SecurityOptions ("name=seccomp,profile=default" -> "seccomp"). */
export function daemonSecurityFeatures(info: Record<string, any>): string[] {
  const list: unknown = info['SecurityOptions'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((s) => {
    if (typeof s !== 'string') return [];
    const name = /(?:^|,)name=([^,]+)/.exec(s);
    return [name ? name[1]! : s];
  });
}

export const check5_2 = defineCheck(
  {
    id: '5.2',
    title: 'Ensure that, if applicable, an AppArmor Profile is enabled (Automated)',
    severity: 'MEDIUM',
    rationale: 'An AppArmor profile limits what a container process may do (mounts, /proc and /sys writes, raw sockets) beyond capabilities and seccomp.',
    remediation:
      'On an AppArmor host, run containers with the default docker-default profile or your own (`--security-opt apparmor=PROFILE`); never `apparmor=unconfined`.',
    references: [`${DOCKER_SECURITY}apparmor/`],
  },
  (view) => {
    const id = '5.2';
    if (!daemonSecurityFeatures(engineOf(view).info).includes('apparmor')) {
      return { id, verdict: 'INFO', details: 'AppArmor is not enabled on this host (docker info SecurityOptions): not applicable' };
    }
    return perContainer(view, id, 'Containers with no AppArmor profile', (c) => {
      const profile = c.AppArmorProfile ?? '';
      if (profile === '') return 'no AppArmor profile';
      if (profile === 'unconfined') return 'AppArmor profile is unconfined';
      return undefined;
    });
  },
);

export const check5_3 = defineCheck(
  {
    id: '5.3',
    title: 'Ensure that, if applicable, SELinux security options are set (Automated)',
    severity: 'MEDIUM',
    rationale: 'On an SELinux host, labels confine each container to its own files and processes; `label=disable` or a daemon without --selinux-enabled removes that wall.',
    remediation: 'Start dockerd with --selinux-enabled and do not pass `--security-opt label=disable`; set `--security-opt label=level:...` where needed.',
    references: [`${DOCKER_RUN}#security-opt`],
  },
  (view) => {
    const id = '5.3';
    if (!daemonSecurityFeatures(engineOf(view).info).includes('selinux')) {
      return { id, verdict: 'INFO', details: 'SELinux is not enabled in the Docker daemon (docker info SecurityOptions): not applicable' };
    }
    return perContainer(view, id, 'Containers without SELinux security options', (c) => {
      const opts = securityOpts(c);
      if (opts.some(([k, v]) => k === 'label' && v === 'disable')) return 'SELinux labelling disabled (label=disable)';
      if (!c.ProcessLabel) return 'no SELinux process label';
      return undefined;
    });
  },
);

export const check5_22 = defineCheck(
  {
    id: '5.22',
    title: 'Ensure the default seccomp profile is not Disabled (Automated)',
    severity: 'HIGH',
    rationale: "Seccomp blocks about 44 system calls that containers do not need (keyctl, add_key, mount, bpf, ...); 'unconfined' exposes the whole kernel syscall surface.",
    remediation: 'Remove `--security-opt seccomp=unconfined`; if a workload needs one more syscall, write a profile that allows only that one.',
    references: [`${DOCKER_SECURITY}seccomp/`],
  },
  (view) =>
    perContainer(view, '5.22', 'Containers with the default seccomp profile disabled', (c) =>
      securityOpts(c).some(([k, v]) => k === 'seccomp' && v === 'unconfined') ? 'seccomp is unconfined' : undefined,
    ),
);

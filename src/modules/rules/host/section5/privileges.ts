import type { HostView } from '../../../../host/types.js';
import { DOCKER_RUN, defineCheck, perContainer, securityOpts } from './support.js';

/** Docker's default capability set: adding one of these changes nothing (docker-bench ignores them too). */
export const DEFAULT_CAPS = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** CapAdd entries beyond the default set, normalised ("cap_sys_admin" -> "SYS_ADMIN"). */
export function addedCapabilities(capAdd: unknown): string[] {
  const list = Array.isArray(capAdd) ? capAdd.filter((s): s is string => typeof s === 'string') : [];
  return [...new Set(list.map((s) => s.trim().toUpperCase().replace(/^CAP_/, '')))].filter((s) => s !== '' && !DEFAULT_CAPS.has(s)).sort();
}

export const check5_4 = defineCheck(
  {
    id: '5.4',
    title: 'Ensure that Linux kernel capabilities are restricted within containers (Automated)',
    severity: 'HIGH',
    rationale: 'Capabilities beyond the default set (SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN, ALL, ...) hand the container powers that are one step from host root.',
    remediation: 'Remove --cap-add for anything the workload does not need; better, `--cap-drop ALL` and add back only what it needs.',
    references: [`${DOCKER_RUN}#cap-add`],
  },
  (view) =>
    perContainer(view, '5.4', 'Capabilities added to containers', (c) => {
      const added = addedCapabilities(c.HostConfig.CapAdd);
      return added.length ? `capabilities added: ${added.join(', ')}` : undefined;
    }),
);

export const check5_5 = defineCheck(
  {
    id: '5.5',
    title: 'Ensure that privileged containers are not used (Automated)',
    severity: 'CRITICAL',
    rationale: 'A privileged container has every capability, every host device, no seccomp or AppArmor confinement and writable /sys: it is host root.',
    remediation: 'Do not use --privileged; grant the single capability or device the workload needs (--cap-add, --device) instead.',
    references: [`${DOCKER_RUN}#privileged`],
  },
  (view) => perContainer(view, '5.5', 'Containers running in privileged mode', (c) => (c.HostConfig.Privileged ? 'running in privileged mode' : undefined)),
);

/** True when dockerd sets no-new-privileges for every container (daemon.json or --no-new-privileges). */
export function daemonNoNewPrivileges(view: HostView): boolean {
  if (view.daemonJson?.['no-new-privileges'] === true) return true;
  const argv = view.daemon?.argv ?? [];
  return argv.some((a) => a === '--no-new-privileges' || a === '--no-new-privileges=true');
}

export const check5_26 = defineCheck(
  {
    id: '5.26',
    title: 'Ensure that the container is restricted from acquiring additional privileges (Automated)',
    severity: 'MEDIUM',
    rationale: 'no-new-privileges stops setuid/setgid binaries and file capabilities from raising a process\'s privileges inside the container.',
    remediation: 'Run containers with `--security-opt no-new-privileges` (or set `"no-new-privileges": true` in daemon.json for every container).',
    references: [`${DOCKER_RUN}#security-opt`, 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file'],
  },
  (view) => {
    const daemonWide = daemonNoNewPrivileges(view);
    const result = perContainer(view, '5.26', 'Containers without no-new-privileges', (c) => {
      const setting = securityOpts(c).find(([k]) => k === 'no-new-privileges');
      if (setting) return setting[1] === '' || setting[1] === 'true' ? undefined : `no-new-privileges=${setting[1]}`;
      return daemonWide ? undefined : 'privileges not restricted (no no-new-privileges)';
    });
    if (result.verdict === 'PASS' && daemonWide) return { ...result, details: 'the daemon sets no-new-privileges for every container' };
    return result;
  },
);

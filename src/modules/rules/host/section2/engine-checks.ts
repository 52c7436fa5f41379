/** CIS 2.x checks answered by the Engine API (docker info / docker version). */
import { booleanSetting, daemonSetting, describeSource } from '../../../../host/daemon-config.js';
import type { EngineFacts } from '../../../../host/types.js';
import { DOCKERD_REFERENCE, defineCheck, result } from './define.js';
import { withCaveat } from './context.js';

export const check2_6 = defineCheck(
  {
    id: '2.6',
    title: 'Ensure aufs storage driver is not used (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'aufs is deprecated, unmaintained in current kernels and known for kernel crashes; overlay2 replaces it.',
    remediation: 'Do not start dockerd with --storage-driver aufs; use overlay2.',
    references: ['https://docs.docker.com/storage/storagedriver/select-storage-driver/'],
    needsEngine: true,
  },
  (view) => {
    const driver = String(view.engine?.info.Driver ?? '');
    if (driver === 'aufs') return result('WARN', 'Storage Driver: aufs');
    return result('PASS', `Storage Driver: ${driver || 'unknown'}`);
  },
);

/** Log drivers that keep the logs on the host only. */
const LOCAL_LOG_DRIVERS = new Set(['json-file', 'local', 'none']);

export const check2_13 = defineCheck(
  {
    id: '2.13',
    title: 'Ensure centralized and remote logging is configured (Scored)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'Logs kept only on the host are lost with it and can be altered by whoever takes it over; a remote log store keeps them.',
    remediation: 'Choose a remote log driver and start dockerd with it, e.g. dockerd --log-driver=syslog --log-opt syslog-address=tcp://<host>.',
    references: ['https://docs.docker.com/config/containers/logging/configure/'],
    needsEngine: true,
  },
  (view) => {
    const driver = String(view.engine?.info.LoggingDriver ?? '');
    if (LOCAL_LOG_DRIVERS.has(driver)) return result('WARN', `Logging Driver: ${driver} (kept on the host)`);
    return result('PASS', `Logging Driver: ${driver || 'unknown'}`);
  },
);

function swarmActive(engine: EngineFacts | undefined): boolean {
  return engine?.info.Swarm?.LocalNodeState === 'active';
}

export const check2_15 = defineCheck(
  {
    id: '2.15',
    title: 'Ensure live restore is enabled (Scored)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'With live restore, containers keep running while the daemon is restarted or upgraded, so patching the daemon costs no downtime.',
    remediation: 'Start dockerd with --live-restore (or "live-restore": true in daemon.json).',
    references: ['https://docs.docker.com/config/containers/live-restore/', DOCKERD_REFERENCE],
    // Answered from the Engine API when a daemon answers, else from the daemon settings.
    needsEngine: false,
  },
  (view) => {
    if (view.engine) {
      if (view.engine.info.LiveRestoreEnabled === true) return result('PASS', 'Live Restore Enabled: true');
      if (swarmActive(view.engine)) return result('PASS', 'Incompatible with swarm mode');
    }
    const s = daemonSetting(view, 'live-restore');
    if (booleanSetting(view, 'live-restore') === true) return result('PASS', describeSource(s, 'live-restore'));
    if (view.engine) return result('WARN', 'Live Restore Enabled: false');
    return result('WARN', withCaveat(view, s ? describeSource(s, 'live-restore') : 'live-restore not set'));
  },
);

export const check2_17 = defineCheck(
  {
    id: '2.17',
    title: 'Ensure that a daemon-wide custom seccomp profile is applied if appropriate (Manual)',
    assessment: 'Manual',
    severity: 'LOW',
    rationale: "Docker's default seccomp profile blocks some 44 system calls; a custom daemon-wide profile can narrow that further.",
    remediation:
      "By default, Docker's default seccomp profile is applied. If that is adequate for your environment, no action is necessary; otherwise pass --seccomp-profile to dockerd.",
    references: ['https://docs.docker.com/engine/security/seccomp/'],
    needsEngine: true,
  },
  (view) => {
    const options: unknown[] = Array.isArray(view.engine?.info.SecurityOptions) ? view.engine!.info.SecurityOptions : [];
    const seccomp = options.map(String).find((o) => o.split(',').includes('name=seccomp'));
    const profile = seccomp?.split(',').find((p) => p.startsWith('profile='))?.slice('profile='.length);
    if (profile === 'default' || profile === 'builtin') return result('PASS', `seccomp profile: ${profile}`);
    if (profile) return result('INFO', `custom seccomp profile: ${profile}`);
    return result('INFO', 'seccomp not among the daemon security options');
  },
);

/** Whether the Engine runs with experimental features, from docker version (or info). */
export function experimental(engine: EngineFacts): boolean {
  const truthy = (v: unknown): boolean => v === true || v === 'true';
  if (truthy(engine.version.Experimental) || truthy(engine.info.ExperimentalBuild)) return true;
  const components: unknown[] = Array.isArray(engine.version.Components) ? engine.version.Components : [];
  return components.some((c) => {
    const comp = c as { Name?: string; Details?: Record<string, unknown> };
    return comp.Name === 'Engine' && truthy(comp.Details?.Experimental);
  });
}

export const check2_18 = defineCheck(
  {
    id: '2.18',
    title: 'Ensure that experimental features are not implemented in production (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'Experimental features are not stable, may change or go away, and have not had the same security review.',
    remediation: 'Do not pass --experimental to the Docker daemon (or set "experimental": true) on production systems.',
    references: [DOCKERD_REFERENCE],
    needsEngine: true,
  },
  (view) => {
    if (experimental(view.engine!)) return result('WARN', 'Experimental: true');
    return result('PASS', 'Experimental: false');
  },
);

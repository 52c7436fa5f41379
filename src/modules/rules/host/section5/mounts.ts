import { posix } from 'node:path';
import { DOCKER_RUN, defineCheck, perContainer, type ContainerInspect } from './support.js';

/** CIS 5.6's list of sensitive host directories. */
export const SENSITIVE_DIRS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

function hostSource(m: ContainerInspect['Mounts'][number]): string | undefined {
  if (m.Type !== 'bind' || !m.Source) return undefined;
  return posix.normalize(m.Source).replace(/(.)\/$/, '$1');
}

export const check5_6 = defineCheck(
  {
    id: '5.6',
    title: 'Ensure sensitive host system directories are not mounted on containers (Automated)',
    severity: 'HIGH',
    rationale:
      'A container that mounts /, /etc, /usr, /boot, /dev, /lib, /proc or /sys of the host can read its secrets (/etc/shadow, keys) and, read-write, change the host itself. Bulwark reports read-only mounts too (docker-bench only read-write ones): a read-only / still exposes /etc/shadow and the Docker socket.',
    remediation: 'Mount only the specific subdirectory a workload needs, read-only where it can be (`-v /srv/app/config:/config:ro`), never a system directory.',
    references: [`${DOCKER_RUN}#volume`],
  },
  (view) =>
    perContainer(view, '5.6', 'Containers with sensitive host directories mounted', (c) =>
      (c.Mounts ?? []).flatMap((m) => {
        const source = hostSource(m);
        if (!source || !SENSITIVE_DIRS.includes(source)) return [];
        return [`sensitive directory ${source} mounted at ${m.Destination} (${m.RW ? 'read-write' : 'read-only'})`];
      }),
    ),
);

export const check5_20 = defineCheck(
  {
    id: '5.20',
    title: 'Ensure mount propagation mode is not set to shared (Automated)',
    severity: 'MEDIUM',
    rationale: 'A shared mount propagates mounts made inside the container to the host and to other containers.',
    remediation: 'Do not mount volumes with `shared` or `rshared` propagation; the default `rprivate` is right for almost every workload.',
    references: ['https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation'],
  },
  (view) =>
    perContainer(view, '5.20', 'Containers with shared mount propagation', (c) =>
      (c.Mounts ?? []).flatMap((m) => (/^r?shared$/.test(m.Propagation ?? '') ? [`${m.Destination} has mount propagation ${m.Propagation}`] : [])),
    ),
);

/** Host paths that hold the Docker socket: the socket itself, or the directory it is in. */
function exposesDockerSocket(source: string): boolean {
  return posix.basename(source) === 'docker.sock' || source === '/var/run' || source === '/run' || source === '/var/run/docker' || source === '/run/docker';
}

export const check5_32 = defineCheck(
  {
    id: '5.32',
    title: 'Ensure that the Docker socket is not mounted inside any containers (Automated)',
    severity: 'CRITICAL',
    rationale: 'Whoever reaches docker.sock can start a privileged container that mounts the host root: the socket is root on the host.',
    remediation: 'Do not mount /var/run/docker.sock (or /var/run, /run) into containers; give tools that need the API a narrowly scoped proxy or a rootless engine.',
    references: [`${'https://docs.docker.com/engine/security/'}#docker-daemon-attack-surface`],
  },
  (view) =>
    perContainer(view, '5.32', 'Containers sharing the Docker socket', (c) =>
      (c.Mounts ?? []).flatMap((m) => {
        const source = hostSource(m);
        return source && exposesDockerSocket(source) ? [`Docker socket shared: ${source} mounted at ${m.Destination}`] : [];
      }),
    ),
);

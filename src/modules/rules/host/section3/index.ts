/** CIS Docker Benchmark v1.6 section 3: Docker daemon configuration files. */
import type { HostCheck, HostView } from '../../../../host/types.js';
import { fileCheck } from './file-check.js';
import { containerdSockets, daemonJsonPath, dockerSockets, filesUnder, tlsFile, unitCandidates } from './files.js';

const SYSTEMD = 'https://www.freedesktop.org/software/systemd/man/systemd.unit.html';
const PROTECT = 'https://docs.docker.com/engine/security/protect-access/';
const CERTS = 'https://docs.docker.com/engine/security/certificates/';

const UNIT_RATIONALE = (unit: string): string =>
  `${unit} holds the daemon's start-up settings; whoever can write it can change how dockerd runs, as root.`;
const SOCKET_RATIONALE = 'Anyone who can write to the socket controls the daemon, which is root on the host.';

function ownership(id: string, title: string, what: string, rest: Omit<Parameters<typeof fileCheck>[0], 'id' | 'title' | 'severity' | 'owner' | 'rationale' | 'remediation'> & { rationale?: string; remediation?: string; owner?: 'root:root' | 'root:docker' }): HostCheck {
  const owner = rest.owner ?? 'root:root';
  return fileCheck({
    id,
    title,
    severity: 'MEDIUM',
    rationale: rest.rationale ?? `${what} must be owned by root so that no other user can change it.`,
    remediation: rest.remediation ?? `chown ${owner} ${what}`,
    owner,
    ...rest,
  });
}

function permissions(id: string, title: string, what: string, maxMode: number, rest: Omit<Parameters<typeof fileCheck>[0], 'id' | 'title' | 'severity' | 'maxMode' | 'rationale' | 'remediation'> & { rationale?: string; remediation?: string; severity?: 'HIGH' | 'MEDIUM' }): HostCheck {
  return fileCheck({
    id,
    title,
    severity: rest.severity ?? 'MEDIUM',
    rationale: rest.rationale ?? `${what} must be writable by root only.`,
    remediation: rest.remediation ?? `chmod ${maxMode.toString(8)} ${what}`,
    maxMode,
    ...rest,
  });
}

const dockerService = { paths: () => unitCandidates('docker.service'), wanted: 'file' as const, notFound: 'File not found', references: [SYSTEMD] };
const dockerSocketUnit = { paths: () => unitCandidates('docker.socket'), wanted: 'file' as const, notFound: 'File not found', references: [SYSTEMD] };
const etcDocker = { paths: () => ['/etc/docker'], wanted: 'dir' as const, notFound: 'Directory not found' };
const registryCerts = {
  paths: () => [],
  wanted: 'file' as const,
  files: async (view: HostView) => ((await view.stat('/etc/docker/certs.d'))?.type === 'dir' ? filesUnder(view, '/etc/docker/certs.d') : undefined),
  notFound: 'Directory not found',
  references: [CERTS],
};
const tls = (flag: 'tlscacert' | 'tlscert' | 'tlskey', notFound: string) => ({
  paths: (view: HostView) => {
    const p = tlsFile(view, flag);
    return p ? [p] : [];
  },
  wanted: 'file' as const,
  notFound,
  references: [PROTECT],
});
const sockets = { paths: dockerSockets, wanted: 'socket' as const, notFound: 'File not found', references: [PROTECT] };
const daemonJson = { paths: (view: HostView) => [daemonJsonPath(view)], wanted: 'file' as const, notFound: 'File not found' };
const etcDefault = { paths: () => ['/etc/default/docker'], wanted: 'file' as const, notFound: 'File not found' };
const sysconfig = { paths: () => ['/etc/sysconfig/docker'], wanted: 'file' as const, notFound: 'File not found' };
const containerd = { paths: containerdSockets, wanted: 'socket' as const, notFound: 'File not found' };

export const CHECKS: readonly HostCheck[] = [
  ownership('3.1', 'Ensure that the docker.service file ownership is set to root:root (Automated)', 'docker.service', {
    ...dockerService,
    rationale: UNIT_RATIONALE('docker.service'),
    remediation: 'Find the file with systemctl show -p FragmentPath docker.service, then chown root:root <path>.',
  }),
  permissions('3.2', 'Ensure that docker.service file permissions are appropriately set (Automated)', 'docker.service', 0o644, {
    ...dockerService,
    rationale: UNIT_RATIONALE('docker.service'),
    remediation: 'Find the file with systemctl show -p FragmentPath docker.service, then chmod 644 <path>.',
  }),
  ownership('3.3', 'Ensure that docker.socket file ownership is set to root:root (Automated)', 'docker.socket', {
    ...dockerSocketUnit,
    rationale: UNIT_RATIONALE('docker.socket'),
    remediation: 'Find the file with systemctl show -p FragmentPath docker.socket, then chown root:root <path>.',
  }),
  permissions('3.4', 'Ensure that docker.socket file permissions are set to 644 or more restrictive (Automated)', 'docker.socket', 0o644, {
    ...dockerSocketUnit,
    rationale: UNIT_RATIONALE('docker.socket'),
    remediation: 'Find the file with systemctl show -p FragmentPath docker.socket, then chmod 644 <path>.',
  }),
  ownership('3.5', 'Ensure that the /etc/docker directory ownership is set to root:root (Automated)', '/etc/docker', {
    ...etcDocker,
    rationale: '/etc/docker holds certificates, keys and daemon.json; only root may change it.',
  }),
  permissions('3.6', 'Ensure that /etc/docker directory permissions are set to 755 or more restrictively (Automated)', '/etc/docker', 0o755, {
    ...etcDocker,
    rationale: '/etc/docker holds certificates, keys and daemon.json; only root may write to it.',
  }),
  ownership('3.7', 'Ensure that registry certificate file ownership is set to root:root (Automated)', '/etc/docker/certs.d/<registry-name>/*', {
    ...registryCerts,
    rationale: 'The registry certificates decide which registries the daemon trusts; only root may change them.',
  }),
  permissions('3.8', 'Ensure that registry certificate file permissions are set to 444 or more restrictively (Automated)', '/etc/docker/certs.d/<registry-name>/*', 0o444, {
    ...registryCerts,
    rationale: 'The registry certificates decide which registries the daemon trusts; nobody should be able to change them.',
  }),
  ownership('3.9', 'Ensure that TLS CA certificate file ownership is set to root:root (Automated)', '<path to TLS CA certificate file>', {
    ...tls('tlscacert', 'No TLS CA certificate found'),
    rationale: 'The TLS CA certificate decides which clients the daemon trusts; only root may change it.',
  }),
  permissions('3.10', 'Ensure that TLS CA certificate file permissions are set to 444 or more restrictively (Automated)', '<path to TLS CA certificate file>', 0o444, {
    ...tls('tlscacert', 'No TLS CA certificate found'),
    rationale: 'The TLS CA certificate decides which clients the daemon trusts; nobody should be able to change it.',
  }),
  ownership('3.11', 'Ensure that Docker server certificate file ownership is set to root:root (Automated)', '<path to Docker server certificate file>', {
    ...tls('tlscert', 'No TLS Server certificate found'),
  }),
  permissions('3.12', 'Ensure that the Docker server certificate file permissions are set to 444 or more restrictively (Automated)', '<path to Docker server certificate file>', 0o444, {
    ...tls('tlscert', 'No TLS Server certificate found'),
  }),
  ownership('3.13', 'Ensure that the Docker server certificate key file ownership is set to root:root (Automated)', '<path to Docker server certificate key file>', {
    ...tls('tlskey', 'No TLS Key found'),
  }),
  permissions('3.14', 'Ensure that the Docker server certificate key file permissions are set to 400 (Automated)', '<path to Docker server certificate key file>', 0o400, {
    ...tls('tlskey', 'No TLS Key found'),
    severity: 'HIGH',
    rationale: 'The server key proves the daemon\'s identity; only root may read it.',
  }),
  ownership('3.15', 'Ensure that the Docker socket file ownership is set to root:docker (Automated)', '/var/run/docker.sock', {
    ...sockets,
    owner: 'root:docker',
    rationale: SOCKET_RATIONALE,
  }),
  permissions('3.16', 'Ensure that the Docker socket file permissions are set to 660 or more restrictively (Automated)', '/var/run/docker.sock', 0o660, {
    ...sockets,
    severity: 'HIGH',
    rationale: SOCKET_RATIONALE,
  }),
  ownership('3.17', 'Ensure that the daemon.json file ownership is set to root:root (Automated)', '/etc/docker/daemon.json', {
    ...daemonJson,
    rationale: 'daemon.json holds the daemon\'s settings; only root may change them.',
  }),
  permissions('3.18', 'Ensure that daemon.json file permissions are set to 644 or more restrictive (Automated)', '/etc/docker/daemon.json', 0o644, {
    ...daemonJson,
    rationale: 'daemon.json holds the daemon\'s settings; only root may write it.',
  }),
  ownership('3.19', 'Ensure that the /etc/default/docker file ownership is set to root:root (Automated)', '/etc/default/docker', etcDefault),
  permissions('3.20', 'Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively (Automated)', '/etc/default/docker', 0o644, etcDefault),
  permissions('3.21', 'Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively (Automated)', '/etc/sysconfig/docker', 0o644, sysconfig),
  ownership('3.22', 'Ensure that the /etc/sysconfig/docker file ownership is set to root:root (Automated)', '/etc/sysconfig/docker', sysconfig),
  ownership('3.23', 'Ensure that the Containerd socket file ownership is set to root:root (Automated)', '/run/containerd/containerd.sock', {
    ...containerd,
    rationale: SOCKET_RATIONALE.replace('the daemon', 'containerd'),
  }),
  permissions('3.24', 'Ensure that the Containerd socket file permissions are set to 660 or more restrictively (Automated)', '/run/containerd/containerd.sock', 0o660, {
    ...containerd,
    severity: 'HIGH',
    rationale: SOCKET_RATIONALE.replace('the daemon', 'containerd'),
  }),
];

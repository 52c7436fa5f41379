/** CIS 1.1.2: who can control the daemon: the docker group's members, and who else the socket lets in. */
import { daemonHosts } from '../../../../host/proc.js';
import type { HostView } from '../../../../host/types.js';
import { groupMembers, readGroup, readPasswd } from '../footprint/accounts.js';
import { CIS_REFERENCE, defineCheck, DOCKER_BENCH_REFERENCE, result } from './define.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The daemon's unix sockets: -H on its command line, else daemon.json "hosts", else the default. fd:// is the default socket. */
export function daemonSockets(view: HostView): string[] {
  let hosts = view.daemon ? daemonHosts(view.daemon.argv) : [];
  if (hosts.length === 0 && Array.isArray(view.daemonJson?.hosts)) hosts = (view.daemonJson!.hosts as unknown[]).filter((h): h is string => typeof h === 'string');
  const sockets = hosts.flatMap((h) => {
    if (h.startsWith('unix://')) return [h.slice('unix://'.length) || DEFAULT_SOCKET];
    if (h.startsWith('/')) return [h];
    if (h === 'fd://' || h.startsWith('fd://')) return [DEFAULT_SOCKET];
    return [];
  });
  return [...new Set(sockets.length > 0 ? sockets : [DEFAULT_SOCKET])];
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export const dockerGroupCheck = defineCheck(
  {
    id: '1.1.2',
    title: 'Ensure only trusted users are allowed to control Docker daemon (Automated)',
    assessment: 'Automated',
    severity: 'HIGH',
    rationale:
      'Whoever can write to the Docker socket controls the daemon, and so root on the host: a container started with the host\'s / mounted can change any file. Membership of the docker group, or a socket open to everyone, is root access.',
    remediation:
      'Remove untrusted users from the docker group ("gpasswd -d USER docker"); keep the socket root:docker with mode 660; prefer rootless Docker or an authorization plugin where users must not be root-equivalent.',
    references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE, 'https://docs.docker.com/engine/security/#docker-daemon-attack-surface'],
    needsEngine: false,
  },
  async (view) => {
    const [groups, passwd] = await Promise.all([readGroup(view), readPasswd(view)]);
    const items: string[] = [];
    const parts: string[] = [];
    const docker = groups?.find((g) => g.name === 'docker');
    if (!groups) parts.push('/etc/group cannot be read');
    else if (!docker) parts.push('no docker group');
    else {
      const members = groupMembers(docker, passwd ?? []);
      parts.push(`docker group (gid ${docker.gid}): ${members.length > 0 ? members.join(', ') : 'no members'}`);
      items.push(...members.map((m) => `user ${m} (docker group)`));
    }
    let open = false;
    for (const socket of daemonSockets(view)) {
      const st = await view.stat(socket);
      if (!st) {
        parts.push(`${socket}: not found`);
        continue;
      }
      const owner = st.user ?? String(st.uid);
      const group = st.group ?? String(st.gid);
      const worldWritable = (st.mode & 0o002) !== 0;
      open ||= worldWritable;
      items.push(`socket ${socket} ${owner}:${group} ${octal(st.mode)}${worldWritable ? ' (writable by every user)' : ''}`);
      // Members of the socket's group reach the daemon too, when it is not the docker group.
      if (st.mode & 0o020 && group !== 'docker' && groups) {
        const g = groups.find((x) => x.gid === st.gid);
        const members = g ? groupMembers(g, passwd ?? []) : [];
        for (const m of members) items.push(`user ${m} (group ${group} of ${socket})`);
      }
      parts.push(`${socket} ${owner}:${group} ${octal(st.mode)}`);
    }
    return result(open ? 'WARN' : 'INFO', parts.join('; '), items);
  },
);

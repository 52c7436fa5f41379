import type { HostView } from '../../../../host/types.js';
import { NO_RUNNING, containerName, defineCheck, engineOf, sortByName } from './support.js';

/** Process names that are an SSH server (comm, 15 characters at most). */
const SSH_SERVERS = /^(sshd|dropbear)\b/;

export interface ContainerProcesses {
  /** comm of each process in the container's cgroup, by pid. */
  byContainer: Map<string, { pid: number; comm: string }[]>;
  /** Containers whose processes could not be read (State.Pid absent from <root>/proc, or its cgroup does not name the container). */
  unreadable: Set<string>;
}

/**
 * The processes of each running container, from the host's /proc under the view's root: a process
 * belongs to a container when its /proc/PID/cgroup names the container's full id (cgroupfs "/docker/<id>"
 * and systemd "docker-<id>.scope" alike), which also holds for containers that share the host PID
 * namespace. One pass over /proc; no Engine API call, no exec into the containers.
 */
export async function containerProcesses(view: HostView, ids: readonly { id: string; pid: number }[]): Promise<ContainerProcesses> {
  const byContainer = new Map<string, { pid: number; comm: string }[]>(ids.map((c) => [c.id, []]));
  const unreadable = new Set<string>();
  const entries = (await view.readdir('/proc')) ?? [];
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const cgroupOf = new Map<number, string>();
  await Promise.all(
    pids.map(async (pid) => {
      const text = (await view.readFile(`/proc/${pid}/cgroup`))?.toString('utf8');
      if (text !== undefined) cgroupOf.set(pid, text);
    }),
  );
  for (const c of ids) {
    if (!(cgroupOf.get(c.pid) ?? '').includes(c.id)) unreadable.add(c.id);
  }
  const members: { pid: number; id: string }[] = [];
  for (const [pid, text] of cgroupOf) {
    for (const c of ids) if (!unreadable.has(c.id) && text.includes(c.id)) members.push({ pid, id: c.id });
  }
  await Promise.all(
    members.map(async ({ pid, id }) => {
      const comm = (await view.readFile(`/proc/${pid}/comm`))?.toString('utf8').trim();
      if (comm !== undefined) byContainer.get(id)!.push({ pid, comm });
    }),
  );
  for (const list of byContainer.values()) list.sort((a, b) => a.pid - b.pid);
  return { byContainer, unreadable };
}

export const check5_7 = defineCheck(
  {
    id: '5.7',
    title: 'Ensure sshd is not run within containers (Automated)',
    severity: 'MEDIUM',
    rationale: 'An SSH server inside a container is one more service to patch, more credentials to manage, and a way in that bypasses the Docker API and its audit; `docker exec` does the job.',
    remediation: 'Remove the SSH server from the image and use `docker exec` (or the orchestrator\'s exec) for interactive access.',
    references: ['https://docs.docker.com/reference/cli/docker/container/exec/'],
  },
  async (view) => {
    const running = sortByName(engineOf(view).inspects);
    if (running.length === 0) return { id: '5.7', verdict: 'INFO', details: NO_RUNNING };
    const procs = await containerProcesses(view, running.map((c) => ({ id: c.Id, pid: c.State.Pid })));
    const items: string[] = [];
    for (const c of running) {
      const ssh = (procs.byContainer.get(c.Id) ?? []).filter((p) => SSH_SERVERS.test(p.comm));
      if (ssh.length) items.push(`${containerName(c)}: container running ${ssh[0]!.comm} (host pid ${ssh.map((p) => p.pid).join(', ')})`);
    }
    if (items.length) return { id: '5.7', verdict: 'WARN', details: `Containers running sshd (${items.length} of ${running.length} running containers)`, items };
    const unread = running.filter((c) => procs.unreadable.has(c.Id));
    if (unread.length) {
      return {
        id: '5.7',
        verdict: 'INFO',
        details: `processes of ${unread.length} of ${running.length} running containers could not be read under ${view.root === '/' ? '' : view.root}/proc: not checked`,
        items: unread.map((c) => `${containerName(c)}: processes not readable (pid ${c.State.Pid})`),
      };
    }
    return { id: '5.7', verdict: 'PASS' };
  },
);

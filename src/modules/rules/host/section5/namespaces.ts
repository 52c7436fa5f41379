import { DOCKER_RUN, defineCheck, perContainer, type ContainerInspect } from './support.js';

/** 5.10, 5.16, 5.17, 5.21, 5.31: a namespace shared with the host ("--net=host", "--pid=host", ...). */
function hostNamespace(
  id: string,
  title: string,
  kind: string,
  flag: string,
  mode: (c: ContainerInspect) => string | undefined,
  severity: 'HIGH' | 'MEDIUM',
  rationale: string,
) {
  return defineCheck(
    {
      id,
      title,
      severity,
      rationale,
      remediation: `Do not start containers with ${flag}=host; drop it from \`docker run\`, compose files and orchestrator specs.`,
      references: [DOCKER_RUN],
    },
    (view) =>
      perContainer(view, id, `Containers sharing the host's ${kind} namespace`, (c) =>
        (mode(c) ?? '').toLowerCase() === 'host' ? `shares the host's ${kind} namespace (${flag}=host)` : undefined,
      ),
  );
}

export const check5_10 = hostNamespace(
  '5.10',
  "Ensure that the host's network namespace is not shared (Automated)",
  'network',
  '--network',
  (c) => c.HostConfig.NetworkMode,
  'HIGH',
  'With the host network a container sees and can bind every host interface, reach services listening on localhost only (the Docker API on TCP, metadata endpoints) and sniff host traffic with NET_RAW.',
);

export const check5_16 = hostNamespace(
  '5.16',
  "Ensure that the host's process namespace is not shared (Automated)",
  'process',
  '--pid',
  (c) => c.HostConfig.PidMode,
  'HIGH',
  'Sharing the host PID namespace lets the container see every host process, read their /proc entries and, as root, signal or ptrace them.',
);

export const check5_17 = hostNamespace(
  '5.17',
  "Ensure that the host's IPC namespace is not shared (Automated)",
  'IPC',
  '--ipc',
  (c) => c.HostConfig.IpcMode,
  'HIGH',
  "Sharing the host IPC namespace exposes the host's shared memory segments, semaphores and message queues to the container.",
);

export const check5_21 = hostNamespace(
  '5.21',
  "Ensure that the host's UTS namespace is not shared (Automated)",
  'UTS',
  '--uts',
  (c) => c.HostConfig.UTSMode,
  'MEDIUM',
  "Sharing the host UTS namespace lets a container with CAP_SYS_ADMIN change the host's hostname and domain name.",
);

export const check5_31 = hostNamespace(
  '5.31',
  "Ensure that the host's user namespaces are not shared (Automated)",
  'user',
  '--userns',
  (c) => c.HostConfig.UsernsMode,
  'HIGH',
  'With user-namespace remapping on, --userns=host opts a container out of it: root in the container is root on the host again.',
);

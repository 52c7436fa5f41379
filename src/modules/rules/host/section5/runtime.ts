import { DOCKER_RUN, NO_RUNNING, defineCheck, engineOf, manualCheck, perContainer } from './support.js';

export const check5_1 = defineCheck(
  {
    id: '5.1',
    title: 'Ensure swarm mode is not Enabled, if not needed (Automated)',
    severity: 'LOW',
    rationale: 'Swarm mode opens management ports (2377/tcp, 7946, 4789/udp) and runs a manager with its own keys; on a host that does not need it this is surface for nothing.',
    remediation: 'If this host does not need swarm: `docker swarm leave` (`--force` on a manager).',
    references: ['https://docs.docker.com/engine/swarm/'],
  },
  (view) => {
    const swarm = engineOf(view).info['Swarm'] as { LocalNodeState?: string; ControlAvailable?: boolean } | undefined;
    const state = swarm?.LocalNodeState ?? '';
    if (state === '' || state === 'inactive') return { id: '5.1', verdict: 'PASS', details: 'swarm mode is inactive' };
    return { id: '5.1', verdict: 'WARN', details: `swarm mode is ${state}${swarm?.ControlAvailable ? ' (this node is a manager)' : ''}: leave it if it is not needed` };
  },
);

export const check5_13 = defineCheck(
  {
    id: '5.13',
    title: "Ensure that the container's root filesystem is mounted as read only (Automated)",
    severity: 'MEDIUM',
    rationale: 'A read-only root filesystem stops an intruder from dropping tools or changing binaries and configuration inside the container; state goes to explicit volumes.',
    remediation: 'Run with `--read-only`, giving the paths the workload writes their own volumes or `--tmpfs /tmp`.',
    references: [`${DOCKER_RUN}#read-only`],
  },
  (view) => perContainer(view, '5.13', 'Containers running with root FS mounted R/W', (c) => (c.HostConfig.ReadonlyRootfs ? undefined : 'root FS mounted R/W')),
);

export const check5_15 = defineCheck(
  {
    id: '5.15',
    title: "Ensure that the 'on-failure' container restart policy is set to '5' (Automated)",
    severity: 'LOW',
    rationale: "'always' and 'unless-stopped' restart a crashing container forever, which can turn a fault or an attack into a denial of service on the host; on-failure with at most 5 retries bounds it.",
    remediation: 'Use `--restart on-failure:5` (or no restart policy and let an orchestrator decide).',
    references: [`${DOCKER_RUN}#restart`],
  },
  (view) =>
    perContainer(view, '5.15', 'Containers with an unbounded restart policy', (c) => {
      const name = c.HostConfig.RestartPolicy?.Name ?? '';
      const max = c.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0;
      if (name === 'always' || name === 'unless-stopped') return `restart policy set to ${name}`;
      if (name === 'on-failure' && (max <= 0 || max > 5)) return `restart policy on-failure with MaximumRetryCount ${max === 0 ? 'unlimited' : max} (expected at most 5)`;
      return undefined;
    }),
);

export const check5_18 = defineCheck(
  {
    id: '5.18',
    title: 'Ensure that host devices are not directly exposed to containers (Manual)',
    severity: 'MEDIUM',
    rationale: 'A host device passed with --device can be read and, with rwm, written or created by the container: raw disks, /dev/mem and the like bypass every file permission.',
    remediation: 'Do not pass host devices unless the workload needs them; when it does, give the narrowest permission (`--device /dev/x:/dev/x:r`).',
    references: [`${DOCKER_RUN}#device`],
  },
  (view) =>
    perContainer(
      view,
      '5.18',
      'Containers with host devices exposed directly',
      (c) => {
        const devices: unknown = c.HostConfig.Devices;
        const list = Array.isArray(devices) ? (devices as { PathOnHost?: string; PathInContainer?: string; CgroupPermissions?: string }[]) : [];
        return list.map((d) => `device ${d.PathOnHost ?? '?'} exposed at ${d.PathInContainer ?? '?'} (${d.CgroupPermissions ?? 'rwm'})`);
      },
      'INFO',
    ),
);

export const check5_23 = manualCheck(
  {
    id: '5.23',
    title: 'Ensure that docker exec commands are not used with the privileged option (Automated)',
    severity: 'HIGH',
    rationale: '`docker exec --privileged` gives the exec\'d process every capability and no confinement, even in a container started without them.',
    remediation: 'Do not use `docker exec --privileged`; restrict who may call the Docker API, and audit exec calls (auditd rule on the docker binary, or an authorization plugin).',
    references: ['https://docs.docker.com/reference/cli/docker/container/exec/'],
  },
  'Past exec calls are not kept by the Engine API: review the audit log for `docker exec --privileged` (e.g. `ausearch -k docker | grep exec | grep privileged`).',
);

export const check5_24 = manualCheck(
  {
    id: '5.24',
    title: 'Ensure that docker exec commands are not used with the user=root option (Manual)',
    severity: 'MEDIUM',
    rationale: '`docker exec --user root` undoes a non-root USER for the exec\'d process.',
    remediation: 'Do not use `docker exec --user=root`; restrict who may call the Docker API and audit exec calls.',
    references: ['https://docs.docker.com/reference/cli/docker/container/exec/'],
  },
  'Past exec calls are not kept by the Engine API: review the audit log for `docker exec --user=root` (e.g. `ausearch -k docker | grep exec | grep user`).',
);

export const check5_27 = defineCheck(
  {
    id: '5.27',
    title: 'Ensure that container health is checked at runtime (Automated)',
    severity: 'LOW',
    rationale: 'Without a health check the engine (and an orchestrator) cannot tell a hung service from a working one.',
    remediation: 'Add a HEALTHCHECK to the image, or run with `--health-cmd` (and interval/retries).',
    references: [`${DOCKER_RUN}#healthcheck`],
  },
  (view) => perContainer(view, '5.27', 'Containers without health check', (c) => (c.State.Health?.Status ? undefined : 'health check not set')),
);

export const check5_28 = manualCheck(
  {
    id: '5.28',
    title: 'Ensure that Docker commands always make use of the latest version of their image (Manual)',
    severity: 'LOW',
    rationale: 'A cached image tag can be stale: `docker run` does not pull a newer image with the same tag.',
    remediation: 'Pull before run (`docker run --pull always`, or `docker pull` in the deploy step) and pin images by digest so the version is a deliberate choice.',
    references: [`${DOCKER_RUN}#pull`],
  },
  'Check that deployments pull the image (`--pull always` or a pull step) or pin it by digest; the Engine API does not record how a container was started.',
);

export const check5_30 = defineCheck(
  {
    id: '5.30',
    title: "Ensure that Docker's default bridge 'docker0' is not used (Manual)",
    severity: 'LOW',
    rationale: 'On the default bridge every container can reach every other (no network isolation, ARP spoofing between containers); user-defined networks isolate and resolve names.',
    remediation: 'Create user-defined networks (`docker network create app-net`) and run containers on them (`--network app-net`).',
    references: ['https://docs.docker.com/engine/network/drivers/bridge/'],
  },
  (view) => {
    const running = engineOf(view).inspects;
    if (running.length === 0) return { id: '5.30', verdict: 'INFO', details: NO_RUNNING };
    return perContainer(
      view,
      '5.30',
      'Containers using the docker0 network',
      (c) => (c.NetworkSettings?.Networks && 'bridge' in c.NetworkSettings.Networks ? 'container in docker0 network' : undefined),
      'INFO',
    );
  },
);

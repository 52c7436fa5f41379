import { DOCKER_RUN, defineCheck, perContainer } from './support.js';

const RESOURCES = 'https://docs.docker.com/engine/containers/resource_constraints/';

export const check5_11 = defineCheck(
  {
    id: '5.11',
    title: 'Ensure that the memory usage for containers is limited (Automated)',
    severity: 'MEDIUM',
    rationale: 'A container without a memory limit can use all host memory and bring the host and its other containers down (denial of service).',
    remediation: 'Set `--memory` (and `--memory-swap`) on every container, sized to the workload.',
    references: [RESOURCES],
  },
  (view) => perContainer(view, '5.11', 'Containers running without memory restrictions', (c) => (!c.HostConfig.Memory ? 'no memory limit' : undefined)),
);

export const check5_12 = defineCheck(
  {
    id: '5.12',
    title: 'Ensure that CPU priority is set appropriately on containers (Automated)',
    severity: 'LOW',
    rationale: 'Without CPU shares every container competes equally for CPU; a busy or compromised one can starve the others.',
    remediation: 'Set `--cpu-shares` (relative weight, default 1024) on containers according to their priority, and `--cpus` where a hard cap is needed.',
    references: [RESOURCES],
  },
  (view) => perContainer(view, '5.12', 'Containers running without CPU restrictions', (c) => (!c.HostConfig.CpuShares ? 'CPU shares not set' : undefined)),
);

export const check5_19 = defineCheck(
  {
    id: '5.19',
    title: 'Ensure that the default ulimit is overwritten at runtime if needed (Manual)',
    severity: 'LOW',
    rationale: "Containers inherit the daemon's default ulimits; override them per container only where a workload needs other limits.",
    remediation: 'Where a container needs different limits, set them with `--ulimit nofile=SOFT:HARD`; otherwise rely on the daemon defaults (`default-ulimits` in daemon.json).',
    references: [`${DOCKER_RUN}#ulimit`],
  },
  (view) =>
    perContainer(view, '5.19', 'Containers with no default ulimit override', (c) => (!c.HostConfig.Ulimits?.length ? 'no default ulimit override' : undefined), 'INFO'),
);

export const check5_25 = defineCheck(
  {
    id: '5.25',
    title: 'Ensure that cgroup usage is confirmed (Automated)',
    severity: 'LOW',
    rationale: 'A container placed under a custom --cgroup-parent escapes the limits and accounting of the default docker cgroup; that must be intended.',
    remediation: 'Do not use --cgroup-parent unless you manage that cgroup hierarchy deliberately; confirm each listed container.',
    references: [`${DOCKER_RUN}#cgroup-parent`],
  },
  (view) =>
    perContainer(view, '5.25', 'Containers using an unexpected cgroup', (c) =>
      c.HostConfig.CgroupParent ? `confirm cgroup usage: cgroup parent ${c.HostConfig.CgroupParent}` : undefined,
    ),
);

export const check5_29 = defineCheck(
  {
    id: '5.29',
    title: 'Ensure that the PIDs cgroup limit is used (Automated)',
    severity: 'MEDIUM',
    rationale: 'Without a PIDs limit a fork bomb in one container exhausts the host\'s process table.',
    remediation: 'Set `--pids-limit N` on every container (a few hundred fits most services).',
    references: [`${DOCKER_RUN}#pids-limit`],
  },
  (view) =>
    perContainer(view, '5.29', 'Containers without a PIDs cgroup limit', (c) => {
      const limit = c.HostConfig.PidsLimit;
      return limit === undefined || limit === null || limit <= 0 ? 'PIDs limit not set' : undefined;
    }),
);

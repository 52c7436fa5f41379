import { DOCKER_RUN, defineCheck, engineOf, NO_RUNNING, perContainer, publishedPorts, sortByName, containerName } from './support.js';

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

export const check5_8 = defineCheck(
  {
    id: '5.8',
    title: 'Ensure privileged ports are not mapped within containers (Automated)',
    severity: 'LOW',
    rationale: 'Ports below 1024 are reserved for privileged services; mapping a container onto one lets it pose as such a service (ssh, http, dns) on the host.',
    remediation: 'Publish container ports on host ports of 1024 and above (`-p 8080:80`), and front them with a load balancer or proxy where 80/443 are needed.',
    references: [`${DOCKER_RUN}#publish`],
  },
  (view) =>
    perContainer(view, '5.8', 'Containers using privileged ports', (c) =>
      publishedPorts(c).flatMap((p) => (p.hostPort < 1024 ? [`privileged port ${p.hostPort} in use (${p.port})`] : [])),
    ),
);

export const check5_9 = defineCheck(
  {
    id: '5.9',
    title: 'Ensure that only needed ports are open on the container (Manual)',
    severity: 'LOW',
    rationale: 'Every published port is attack surface; a Dockerfile EXPOSE or -P can publish more than the workload needs.',
    remediation: 'Publish only the ports the service needs, explicitly (`-p HOSTIP:PORT:PORT`), and do not use -P/--publish-all.',
    references: [`${DOCKER_RUN}#publish`],
  },
  (view) => {
    const running = engineOf(view).inspects;
    if (running.length === 0) return { id: '5.9', verdict: 'INFO', details: NO_RUNNING };
    const items = sortByName(running).flatMap((c) =>
      publishedPorts(c).map((p) => `${containerName(c)}: ${p.port} published on ${p.hostIp === '' ? '0.0.0.0' : p.hostIp}:${p.hostPort}`),
    );
    return {
      id: '5.9',
      verdict: 'NOTE',
      details: items.length ? `review the ${items.length} published port(s): each must be needed` : 'no container publishes a port; review EXPOSE and --publish-all in your run specs',
      ...(items.length ? { items } : {}),
    };
  },
);

export const check5_14 = defineCheck(
  {
    id: '5.14',
    title: 'Ensure that incoming container traffic is bound to a specific host interface (Automated)',
    severity: 'MEDIUM',
    rationale: 'A port published without a host address listens on every interface (0.0.0.0), public ones included, and Docker bypasses the host firewall rules for it.',
    remediation: 'Bind published ports to the interface that should serve them: `-p 127.0.0.1:8080:80` or `-p 10.0.0.5:443:443`.',
    references: [`${DOCKER_RUN}#publish`],
  },
  (view) =>
    perContainer(view, '5.14', 'Containers with ports bound to a wildcard address', (c) =>
      publishedPorts(c).flatMap((p) => (WILDCARD.has(p.hostIp) ? [`port ${p.port} bound to wildcard IP ${p.hostIp || '0.0.0.0'}:${p.hostPort}`] : [])),
    ),
);

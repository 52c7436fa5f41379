import { BEST_PRACTICES, CIS_DOCKER, DOCKLE, defineMeta } from '../rule.js';
import { toolRule } from './tool-rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-004',
  title: 'Package manager, compiler, debugger, network tool or shell in the final image',
  severity: 'LOW',
  rationale:
    'Every tool a running container does not need is attack surface and size: an intruder uses a shell, curl, wget or nc to fetch and run a payload, a compiler to build one, a debugger to read other processes\' memory, a package manager to install more.',
  remediation:
    'Build in one stage and copy only the runtime artefacts into a minimal final stage (distroless, scratch, or a slim base), or remove the packages in the same RUN that installed them.',
  references: [CIS_DOCKER, DOCKLE, `${BEST_PRACTICES}#dont-install-unnecessary-packages`, 'https://docs.docker.com/build/building/multi-stage/'],
  aliases: ['CIS-DI-0003', 'CIS-DOCKER-4.3'],
});

export const CATEGORIES = ['package-manager', 'compiler', 'debugger', 'network-tool', 'shell'] as const;

export const rule = toolRule(meta, CATEGORIES, (_tool, what) => `Candidate to remove: ${what}`);

import type { HostCheck } from '../../../../host/types.js';
import { defineCheck, engineOf } from '../section5/support.js';

export const check6_1 = defineCheck(
  {
    id: '6.1',
    title: 'Ensure that image sprawl is avoided (Manual)',
    severity: 'LOW',
    rationale: 'Old and unused images pile up unpatched software, waste space and make it hard to tell which image is in use.',
    remediation: 'Keep only the images in use; remove the others regularly (`docker image prune -a`), and pull by digest.',
    references: ['https://docs.docker.com/reference/cli/docker/image/prune/'],
  },
  (view) => {
    const engine = engineOf(view);
    const ids = new Set(engine.images.map((i) => i.Id));
    const used = new Set(engine.containers.map((c) => c.ImageID).filter((id) => ids.has(id)));
    const total = ids.size;
    const details = `There are currently: ${total} images; ${used.size} in use by containers${used.size < total / 2 ? ` (only ${used.size} out of ${total} are in use)` : ''}`;
    return { id: '6.1', verdict: 'INFO', details };
  },
);

export const check6_2 = defineCheck(
  {
    id: '6.2',
    title: 'Ensure that container sprawl is avoided (Manual)',
    severity: 'LOW',
    rationale: 'Stopped containers keep their writable layers, logs and configuration (secrets included) on disk and clutter the inventory.',
    remediation: 'Remove containers that are not in use (`docker container prune`); run short-lived ones with --rm.',
    references: ['https://docs.docker.com/reference/cli/docker/container/prune/'],
  },
  (view) => {
    const engine = engineOf(view);
    const total = engine.containers.length;
    const running = engine.containers.filter((c) => c.State === 'running').length;
    const only = total - running > 25 ? 'only ' : '';
    return { id: '6.2', verdict: 'INFO', details: `There are currently a total of ${total} containers, with ${only}${running} of them currently running` };
  },
);

/** CIS Docker Benchmark v1.6 section 6, Docker Security Operations. */
export const CHECKS: readonly HostCheck[] = [check6_1, check6_2];

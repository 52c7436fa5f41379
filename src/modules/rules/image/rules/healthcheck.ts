import { CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-010',
  title: 'No HEALTHCHECK',
  severity: 'LOW',
  rationale:
    'Without a health check the engine only knows whether the process runs, not whether it works: a hung or broken service keeps receiving traffic and is never restarted.',
  remediation: 'Add `HEALTHCHECK CMD <probe>` (exec form, with a binary the image has) to the Dockerfile, or define probes in the orchestrator.',
  references: ['https://docs.docker.com/reference/dockerfile/#healthcheck', CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0006', 'CIS-DOCKER-4.6'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const test = input.config.config?.Healthcheck?.Test ?? [];
    if (test.length && test[0] !== 'NONE') return [];
    const why = test[0] === 'NONE' ? 'HEALTHCHECK NONE disables the health check' : 'The image defines no HEALTHCHECK';
    return [ctx.finding(meta, { resource: 'config.Healthcheck' }, why)];
  },
};

import type { CheckResult, HostCheck, HostCheckMeta, HostView, Verdict } from '../../../host/types.js';

export const CIS_DOCKER_BENCHMARK = 'https://www.cisecurity.org/benchmark/docker';
export const DOCKER_BENCH = 'https://github.com/docker/docker-bench-security';

/** A check from its metadata and run function; the result's id is always the meta id. */
export function defineCheck(meta: HostCheckMeta, run: (view: HostView) => Promise<Omit<CheckResult, 'id'>> | Omit<CheckResult, 'id'>): HostCheck {
  return {
    meta,
    async run(view) {
      return { id: meta.id, ...(await run(view)) };
    },
  };
}

/** A result with details and items only where they say something. */
export function result(verdict: Verdict, details?: string, items?: readonly string[]): Omit<CheckResult, 'id'> {
  return { verdict, ...(details ? { details } : {}), ...(items && items.length > 0 ? { items: [...items] } : {}) };
}

import type { CheckResult, HostCheck, HostCheckMeta, HostView } from '../../../../host/types.js';
import { CIS_DOCKER_BENCHMARK, DOCKER_BENCH, defineCheck as define } from '../define.js';

export { CIS_DOCKER_BENCHMARK, DOCKER_BENCH, result } from '../define.js';
export const DOCKERD_REFERENCE = 'https://docs.docker.com/reference/cli/dockerd/';

/** A host check from its metadata and run function (the CIS and docker-bench references added). */
export function defineCheck(
  meta: Omit<HostCheckMeta, 'references'> & { references?: string[] },
  run: (view: HostView) => Promise<Omit<CheckResult, 'id'>> | Omit<CheckResult, 'id'>,
): HostCheck {
  const full: HostCheckMeta = { ...meta, references: [CIS_DOCKER_BENCHMARK, DOCKER_BENCH, ...(meta.references ?? [])] };
  return define(full, run);
}


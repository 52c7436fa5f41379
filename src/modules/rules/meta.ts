import type { RuleMeta } from './types.js';

export const CIS_DOCKER = 'https://www.cisecurity.org/benchmark/docker';
export const DOCKLE = 'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md';
export const HADOLINT_WIKI = 'https://github.com/hadolint/hadolint/wiki/';
export const BEST_PRACTICES = 'https://docs.docker.com/build/building/best-practices/';

/** Rule metadata with the aliases sorted, so docs and findings list them the same way. */
export function defineMeta(meta: RuleMeta): RuleMeta {
  return { ...meta, aliases: [...meta.aliases].sort() };
}

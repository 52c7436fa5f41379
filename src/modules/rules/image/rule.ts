import type { ImageRule } from './types.js';

export { BEST_PRACTICES, CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta } from '../meta.js';

export type { ImageRule };

export { humanSize as humanBytes } from '../../../core/human-size.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

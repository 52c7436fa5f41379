import type { HostView } from '../../../../host/types.js';

export { defineCheck, result } from '../define.js';

/** A host file as text, or undefined when absent or unreadable. */
export async function readText(view: HostView, path: string): Promise<string | undefined> {
  return (await view.readFile(path))?.toString('utf8');
}

/** Lines of a text without comments ("#" to end of line when `comments`) and blanks, trimmed. */
export function contentLines(text: string, comments = true): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => (comments ? l.replace(/(^|\s)#.*$/, '') : l).trim())
    .filter((l) => l !== '');
}

export { CIS_DOCKER_BENCHMARK as CIS_REFERENCE, DOCKER_BENCH as DOCKER_BENCH_REFERENCE } from '../define.js';

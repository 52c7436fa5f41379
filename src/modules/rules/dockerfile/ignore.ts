import type { RuleMeta } from '../types.js';
import type { ParsedDockerfile } from './parse.js';

const PRAGMA = /^#\s*(bulwark|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_.,\s-]+)$/i;

export interface Ignores {
  /** Rule ids ignored for the whole file (`# hadolint global ignore=...`). */
  global: Set<string>;
  /** 1-based instruction line -> rule ids ignored for it. */
  byLine: Map<number, Set<string>>;
}

/** Maps an id or alias (DL3008, CIS-DI-0001, BW-DF-014) to the pack's rule ids. */
function resolver(rules: RuleMeta[]): (id: string) => string[] {
  const map = new Map<string, string[]>();
  for (const r of rules) {
    for (const k of [r.id, ...r.aliases]) {
      const key = k.toUpperCase();
      map.set(key, [...(map.get(key) ?? []), r.id]);
    }
  }
  return (id) => map.get(id.toUpperCase()) ?? [];
}

/**
 * Reads inline ignore pragmas: `# bulwark ignore=RULE[,RULE]` or `# hadolint ignore=DL3008,...` on the
 * comment lines directly above an instruction suppress those rules for that instruction; the
 * `global` form suppresses them everywhere in the file.
 */
export function readIgnores(df: ParsedDockerfile, rules: RuleMeta[]): Ignores {
  const resolve = resolver(rules);
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const ids = (list: string): string[] => list.split(',').flatMap((s) => resolve(s.trim()));
  for (const line of df.lines) {
    const m = PRAGMA.exec(line.trim());
    if (m?.[2]) for (const id of ids(m[3] as string)) global.add(id);
  }
  for (const instr of df.instructions) {
    const set = new Set<string>();
    for (let l = instr.line - 2; l >= 0; l--) {
      const text = (df.lines[l] as string).trim();
      if (!text.startsWith('#')) break;
      const m = PRAGMA.exec(text);
      if (m && !m[2]) for (const id of ids(m[3] as string)) set.add(id);
    }
    if (set.size) byLine.set(instr.line, set);
  }
  return { global, byLine };
}

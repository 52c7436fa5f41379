import picomatch from 'picomatch';
import type { RuleMeta } from '../rules/types.js';
import type { SecretAllowList } from './types.js';

export interface CompiledAllowList {
  /** Whether a finding of this rule, in this file, of this secret value is allowed (dropped). */
  allows(meta: RuleMeta, path: string | undefined, secret: string): boolean;
}

const NOTHING: CompiledAllowList = { allows: () => false };
const compiled = new WeakMap<SecretAllowList, CompiledAllowList>();

/** Image paths are absolute and user globs often are not: both are matched without the leading slash. */
const relative = (p: string): string => p.replace(/^\/+/, '');

/** Compiled once per list object: an image scan calls this for every file. */
export function compileAllowList(list: SecretAllowList | undefined): CompiledAllowList {
  if (list === undefined) return NOTHING;
  const cached = compiled.get(list);
  if (cached !== undefined) return cached;
  const rules = new Set(list.rules ?? []);
  const paths = list.paths?.length ? picomatch(list.paths.map(relative), { dot: true }) : undefined;
  const values = (list.values ?? []).map((v) => (typeof v === 'string' ? new RegExp(v) : new RegExp(v.source, v.flags.replace(/[gy]/g, ''))));
  const out: CompiledAllowList = {
    allows(meta, path, secret) {
      if (rules.has(meta.id) || meta.aliases.some((a) => rules.has(a))) return true;
      if (paths !== undefined && path !== undefined && paths(relative(path))) return true;
      return values.some((re) => re.test(secret));
    },
  };
  compiled.set(list, out);
  return out;
}

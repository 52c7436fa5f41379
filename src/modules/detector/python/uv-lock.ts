import { LockfileError, type LockEntry } from './lock-entry.js';
import { parseToml } from './poetry-lock.js';
import { uvLockSchema, type UvDependency, type UvPackage } from './schema.js';

/** The project itself (and workspace members): local code, not a dependency. */
function isProject(p: UvPackage): boolean {
  return p.source !== undefined && ('editable' in p.source || 'virtual' in p.source);
}

/**
 * uv.lock. The project's own packages (editable or virtual source) are the roots: what their
 * `dependencies` reach is prod, what only their `optional-dependencies` (extras) reach is optional, what
 * only their `dev-dependencies` groups reach is dev. Packages without a version (dynamic) are skipped.
 */
export function parseUvLock(text: string): LockEntry[] {
  const parsed = uvLockSchema.safeParse(parseToml(text));
  if (!parsed.success) throw new LockfileError(`not a uv.lock: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const packages = parsed.data.package;
  const byName = new Map<string, UvPackage[]>();
  for (const p of packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const targets = (dep: UvDependency): UvPackage[] => {
    const named = byName.get(dep.name) ?? [];
    return dep.version === undefined ? named : named.filter((p) => p.version === dep.version);
  };

  /** Everything reachable from these edges, following the extras each edge asks for. */
  const reach = (edges: UvDependency[]): Set<UvPackage> => {
    const seen = new Set<UvPackage>();
    const queue = [...edges];
    for (let dep = queue.pop(); dep; dep = queue.pop()) {
      for (const p of targets(dep)) {
        const extras = (dep.extra ?? []).flatMap((e) => p['optional-dependencies'][e] ?? []);
        if (seen.has(p)) {
          queue.push(...extras.filter((e) => targets(e).some((t) => !seen.has(t))));
          continue;
        }
        seen.add(p);
        queue.push(...p.dependencies, ...extras);
      }
    }
    return seen;
  };

  const roots = packages.filter(isProject);
  const prod = reach(roots.flatMap((r) => r.dependencies));
  const optional = reach(roots.flatMap((r) => Object.values(r['optional-dependencies']).flat()));
  const dev = reach(roots.flatMap((r) => Object.values(r['dev-dependencies']).flat()));
  const entries: LockEntry[] = [];
  for (const p of packages) {
    if (isProject(p) || p.version === undefined) continue;
    const entry: LockEntry = { name: p.name, version: p.version };
    if (prod.has(p)) entry.scope = 'prod';
    else if (optional.has(p)) entry.scope = 'optional';
    else if (dev.has(p)) entry.scope = 'dev';
    entries.push(entry);
  }
  return entries;
}

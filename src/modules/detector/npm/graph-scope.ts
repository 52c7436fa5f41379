import type { NpmScope } from './to-package.js';

/** The direct dependencies of the project, by kind, as node ids. */
export interface RootDependencies {
  prod: string[];
  optional: string[];
  dev: string[];
}

/**
 * Scope of each node of a lockfile's dependency graph, for lockfiles that do not write it (yarn,
 * pnpm 9): reachable from a prod dependency -> prod, else from an optional one -> optional, else
 * from a dev one -> dev. Nodes reached from none of them get no scope.
 */
export function scopesByReachability(edges: ReadonlyMap<string, readonly string[]>, roots: RootDependencies): Map<string, NpmScope> {
  const scopes = new Map<string, NpmScope>();
  for (const scope of ['prod', 'optional', 'dev'] as const) {
    const stack = [...roots[scope]];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (scopes.has(id)) continue;
      scopes.set(id, scope);
      for (const next of edges.get(id) ?? []) if (!scopes.has(next)) stack.push(next);
    }
  }
  return scopes;
}

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { scopesByReachability } from './graph-scope.js';
import { isRegistryVersion } from './package-lock.js';
import { isPackageName, type NpmEntry, type NpmScope } from './to-package.js';

const packageSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    dev: z.boolean().optional(),
    optional: z.boolean().optional(),
  })
  .passthrough();

const depMap = z.record(z.union([z.string(), z.number(), z.object({ version: z.union([z.string(), z.number()]) }).passthrough()]));
const importerSchema = z
  .object({ dependencies: depMap.optional(), devDependencies: depMap.optional(), optionalDependencies: depMap.optional() })
  .passthrough();

const lockSchema = z
  .object({
    lockfileVersion: z.union([z.string(), z.number()]),
    packages: z.record(z.unknown()).optional().nullable(),
    snapshots: z.record(z.unknown()).optional().nullable(),
    importers: z.record(importerSchema).optional().nullable(),
  })
  .passthrough();

/**
 * A pnpm-lock.yaml package key -> name and version. v5: `/name/1.0.0`, `/@s/name/1.0.0_peer@2.0.0`,
 * sometimes behind a registry host; v6: `/name@1.0.0(peer@2.0.0)`; v9: `name@1.0.0`.
 */
export function parsePnpmKey(key: string, lockfileVersion: number): { name: string; version: string } | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  if (paren >= 0) k = k.slice(0, paren);
  if (lockfileVersion < 6) {
    const parts = k.split('/');
    const at = parts.findIndex((p) => p.startsWith('@'));
    const start = at >= 0 ? at : parts.length - 2;
    const name = at >= 0 ? `${parts[at]}/${parts[at + 1]}` : parts[start];
    const version = parts[at >= 0 ? at + 2 : start + 1];
    if (!name || !version) return undefined;
    return { name, version: version.split('_')[0]! };
  }
  const at = k.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

function depVersion(value: unknown): string {
  return typeof value === 'object' && value !== null ? String((value as { version: unknown }).version) : String(value);
}

/** A dependency reference (name + version as the lockfile writes it) -> the snapshot id it names. */
function snapshotId(name: string, version: string): string {
  const base = version.split('(')[0]!;
  return base.includes('@') ? version : `${name}@${version}`;
}

const stripPeers = (id: string) => id.split('(')[0]!;
const RANK: Record<NpmScope, number> = { prod: 0, optional: 1, dev: 2 };

export function parsePnpmLock(content: Buffer): NpmEntry[] {
  const doc = lockSchema.safeParse(parseYaml(content.toString('utf8')) as unknown);
  if (!doc.success) throw new Error(`not a pnpm lockfile: ${doc.error.issues[0]?.message ?? ''}`);
  const lockfileVersion = Number.parseFloat(String(doc.data.lockfileVersion));
  if (!Number.isFinite(lockfileVersion)) throw new Error(`unknown lockfileVersion ${String(doc.data.lockfileVersion)}`);
  const scopes = lockfileVersion >= 9 ? v9Scopes(doc.data.importers ?? {}, doc.data.snapshots ?? {}) : undefined;
  const out: NpmEntry[] = [];
  for (const [key, raw] of Object.entries(doc.data.packages ?? {})) {
    const entry = packageSchema.safeParse(raw ?? {});
    if (!entry.success) continue;
    const parsed = parsePnpmKey(key, lockfileVersion);
    const name = entry.data.name ?? parsed?.name;
    const version = entry.data.version ?? parsed?.version;
    if (!name || !version || !isPackageName(name) || !isRegistryVersion(version)) continue;
    let scope: NpmScope | undefined;
    if (scopes) scope = scopes.get(stripPeers(key));
    else if (entry.data.dev === true) scope = 'dev';
    else if (entry.data.optional === true) scope = 'optional';
    else scope = 'prod';
    out.push({ name, version, scope });
  }
  return out;
}

/** pnpm 9 writes no dev flags: scope by reachability from the importers through `snapshots`. */
function v9Scopes(importers: Record<string, z.infer<typeof importerSchema>>, snapshots: Record<string, unknown>): Map<string, NpmScope> {
  const edges = new Map<string, string[]>();
  for (const [id, raw] of Object.entries(snapshots)) {
    const snap = (raw ?? {}) as { dependencies?: Record<string, unknown>; optionalDependencies?: Record<string, unknown> };
    const deps = { ...snap.dependencies, ...snap.optionalDependencies };
    edges.set(id, Object.entries(deps).map(([n, v]) => snapshotId(n, depVersion(v))));
  }
  const roots = { prod: [] as string[], optional: [] as string[], dev: [] as string[] };
  for (const imp of Object.values(importers)) {
    const ids = (deps: Record<string, unknown> | undefined) => Object.entries(deps ?? {}).map(([n, v]) => snapshotId(n, depVersion(v)));
    roots.prod.push(...ids(imp.dependencies));
    roots.optional.push(...ids(imp.optionalDependencies));
    roots.dev.push(...ids(imp.devDependencies));
  }
  const byBase = new Map<string, NpmScope>();
  for (const [id, scope] of scopesByReachability(edges, roots)) {
    const base = stripPeers(id);
    const had = byBase.get(base);
    if (!had || RANK[scope] < RANK[had]) byBase.set(base, scope);
  }
  return byBase;
}

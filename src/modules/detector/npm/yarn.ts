import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { scopesByReachability, type RootDependencies } from './graph-scope.js';
import { isRegistryVersion, unalias } from './package-lock.js';
import type { ProjectManifest } from './project-manifest.js';
import { isPackageName, type NpmEntry } from './to-package.js';
import { parseYarnClassic, specifierName } from './yarn-classic.js';

interface Node {
  id: string;
  name: string;
  version: string;
  deps: string[];
}

/** yarn.lock, classic (v1) or berry (YAML with __metadata); scope from the package.json beside it, when there is one. */
export function parseYarnLock(content: Buffer, manifest: ProjectManifest | undefined): NpmEntry[] {
  const text = content.toString('utf8');
  const berry = /^__metadata:/m.test(text);
  const { nodes, bySpecifier } = berry ? berryNodes(text) : classicNodes(text);
  const edges = new Map(nodes.map((n) => [n.id, n.deps.flatMap((d) => bySpecifier.get(d) ?? [])]));
  const spec = (name: string, range: string) => (berry ? berrySpecifier(name, range) : `${name}@${range}`);
  const roots = (deps: Record<string, string>) => Object.entries(deps).flatMap(([n, r]) => bySpecifier.get(spec(n, r)) ?? []);
  const scopes = manifest ? scopesByReachability(edges, rootDeps(manifest, roots)) : new Map();
  return nodes.map((n) => ({ name: n.name, version: n.version, scope: scopes.get(n.id) }));
}

function rootDeps(manifest: ProjectManifest, resolve: (deps: Record<string, string>) => string[]): RootDependencies {
  return { prod: resolve(manifest.dependencies), optional: resolve(manifest.optionalDependencies), dev: resolve(manifest.devDependencies) };
}

function classicNodes(text: string): { nodes: Node[]; bySpecifier: Map<string, string> } {
  const nodes: Node[] = [];
  const bySpecifier = new Map<string, string>();
  for (const entry of parseYarnClassic(text)) {
    const first = entry.specifiers[0];
    if (!first || entry.version === undefined) continue;
    const range = first.slice(specifierName(first).length + 1);
    if (/^(?:file|link|portal|workspace):/.test(range)) continue;
    // An alias (`alias@npm:real@^1.0.0`) installs the real package.
    const name = range.startsWith('npm:') ? specifierName(range.slice(4)) : specifierName(first);
    const version = entry.version;
    if (!isPackageName(name) || !isRegistryVersion(version)) continue;
    const id = `${name}@${version}#${nodes.length}`;
    nodes.push({ id, name, version, deps: Object.entries(entry.dependencies).map(([n, r]) => `${n}@${r}`) });
    for (const s of entry.specifiers) bySpecifier.set(s, id);
  }
  return { nodes, bySpecifier };
}

const berryEntrySchema = z
  .object({
    version: z.union([z.string(), z.number()]).optional(),
    resolution: z.string().optional(),
    dependencies: z.record(z.union([z.string(), z.number()])).optional(),
    optionalDependencies: z.record(z.union([z.string(), z.number()])).optional(),
  })
  .passthrough();

/** Berry writes ranges with their protocol (`npm:^1.0.0`); older berry lockfiles left `npm:` out. */
function berrySpecifier(name: string, range: string): string {
  return `${name}@${/^[a-z]+:/i.test(range) ? range : `npm:${range}`}`;
}

function berryNodes(text: string): { nodes: Node[]; bySpecifier: Map<string, string> } {
  const doc = parseYaml(text, { uniqueKeys: false }) as unknown;
  if (!doc || typeof doc !== 'object') throw new Error('not a YAML mapping');
  const nodes: Node[] = [];
  const bySpecifier = new Map<string, string>();
  for (const [key, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (key === '__metadata') continue;
    const entry = berryEntrySchema.safeParse(raw);
    if (!entry.success || !entry.data.resolution || entry.data.version === undefined) continue;
    // Only registry packages: workspaces, patches, links, git and file sources are not npm packages.
    const m = /^((?:@[^/@]+\/)?[^@]+)@npm:(.+)$/.exec(entry.data.resolution);
    if (!m) continue;
    const { name, version } = unalias(m[1]!, m[2]!.includes('@') ? `npm:${m[2]!}` : m[2]!);
    if (!isPackageName(name) || !isRegistryVersion(version)) continue;
    const id = entry.data.resolution;
    const deps = { ...entry.data.dependencies, ...entry.data.optionalDependencies };
    nodes.push({ id, name, version, deps: Object.entries(deps).map(([n, r]) => berrySpecifier(n, String(r))) });
    for (const s of key.split(/,\s*/)) bySpecifier.set(s.trim(), id);
  }
  return { nodes, bySpecifier };
}

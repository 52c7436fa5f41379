import type { ZodError } from 'zod';
import { depsJson, packagesLock } from './schema.js';

export interface NugetEntry {
  name: string;
  version: string;
}

function json(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
}

const issue = (error: ZodError) => {
  const first = error.issues[0];
  return `unexpected content: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : error.message}`;
};

function parseJson(text: string): { data: unknown } | string {
  try {
    return { data: json(text) };
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
}

/** NuGet packages an app was built with, from the `libraries` of its .deps.json (projects and references left out). */
export function parseDepsJson(text: string): NugetEntry[] | string {
  const raw = parseJson(text);
  if (typeof raw === 'string') return raw;
  const parsed = depsJson.safeParse(raw.data);
  if (!parsed.success) return issue(parsed.error);
  const out: NugetEntry[] = [];
  for (const [key, library] of Object.entries(parsed.data.libraries)) {
    if (library.type !== 'package') continue;
    const slash = key.lastIndexOf('/');
    if (slash <= 0 || slash === key.length - 1) return `library key "${key}" is not "Name/Version"`;
    out.push({ name: key.slice(0, slash), version: key.slice(slash + 1) });
  }
  return out;
}

/** Resolved packages of packages.lock.json across every target framework, once each (project references left out). */
export function parsePackagesLock(text: string): NugetEntry[] | string {
  const raw = parseJson(text);
  if (typeof raw === 'string') return raw;
  const parsed = packagesLock.safeParse(raw.data);
  if (!parsed.success) return issue(parsed.error);
  const seen = new Map<string, NugetEntry>();
  for (const packages of Object.values(parsed.data.dependencies)) {
    for (const [name, dep] of Object.entries(packages)) {
      if (dep.type === 'Project' || !dep.resolved) continue;
      seen.set(`${name}@${dep.resolved}`, { name, version: dep.resolved });
    }
  }
  return [...seen.values()];
}

import type { ZodError } from 'zod';
import { composerLock, installedJsonV1, installedJsonV2, type ComposerPackage } from './schema.js';

export interface ComposerEntry {
  name: string;
  version: string;
  licenses: string[];
  dev: boolean;
}

const entry = (pkg: ComposerPackage, dev: boolean): ComposerEntry => ({
  name: pkg.name,
  version: pkg.version,
  licenses: pkg.license === undefined ? [] : Array.isArray(pkg.license) ? pkg.license : [pkg.license],
  dev,
});

function json(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
}

const issue = (error: ZodError) => {
  const first = error.issues[0];
  return `unexpected content: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : error.message}`;
};

/** Packages of vendor/composer/installed.json (composer 1 array or composer 2 object), or an error message. */
export function parseInstalledJson(text: string): ComposerEntry[] | string {
  let data: unknown;
  try {
    data = json(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (Array.isArray(data)) {
    const v1 = installedJsonV1.safeParse(data);
    return v1.success ? v1.data.map((p) => entry(p, false)) : issue(v1.error);
  }
  const parsed = installedJsonV2.safeParse(data);
  if (!parsed.success) return issue(parsed.error);
  const dev = new Set(parsed.data['dev-package-names'] ?? []);
  return parsed.data.packages.map((p) => entry(p, dev.has(p.name)));
}

/** Packages of composer.lock: `packages` are production, `packages-dev` development only. */
export function parseComposerLock(text: string): ComposerEntry[] | string {
  let data: unknown;
  try {
    data = json(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  const parsed = composerLock.safeParse(data);
  if (!parsed.success) return issue(parsed.error);
  return [...(parsed.data.packages ?? []).map((p) => entry(p, false)), ...(parsed.data['packages-dev'] ?? []).map((p) => entry(p, true))];
}

import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BulwarkError } from '../../../core/errors.js';
import type { Finding } from '../../../core/finding.js';
import type { RuleMeta, RulePack } from '../types.js';
import { DOCKERFILE_RULES } from './api.js';
import { makeContext, type LintOptions } from './context.js';
import { readIgnores } from './ignore.js';
import { parseDockerfile } from './parse.js';

export type { LintOptions } from './context.js';
export { parseDockerfile } from './parse.js';

/** Largest Dockerfile read: real ones are a few KiB. */
export const MAX_DOCKERFILE_SIZE = 4 * 1024 * 1024;

/** The pack's rules' metadata, in id order. */
export function rules(): RuleMeta[] {
  return DOCKERFILE_RULES.map((r) => r.meta);
}

export const dockerfilePack: RulePack = { id: 'dockerfile', rules };

/**
 * Lints a Dockerfile's text. Findings are sorted by line, then rule id; inline ignore pragmas
 * (`# bulwark ignore=...`, `# hadolint ignore=...`) have already removed what they name.
 * A malformed Dockerfile throws a one-line BulwarkError naming the file and line.
 */
export function lintDockerfile(text: string, options: LintOptions): Finding[] {
  const df = parseDockerfile(text, options.path);
  const ctx = makeContext(df, options);
  const ignores = readIgnores(df, rules());
  const findings: Finding[] = [];
  for (const rule of DOCKERFILE_RULES) {
    if (ignores.global.has(rule.meta.id)) continue;
    for (const f of rule.check(df, ctx)) {
      if (ignores.byLine.get(f.location.line ?? 0)?.has(f.id)) continue;
      findings.push(f);
    }
  }
  return findings.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}

/** Reads and lints a Dockerfile; a .dockerignore beside it counts for the build-context rule. */
export async function lintDockerfileFile(path: string): Promise<Finding[]> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new BulwarkError('E_INPUT', `${path}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('E_NOT_FOUND', `${path}: cannot read Dockerfile (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  if (size > MAX_DOCKERFILE_SIZE) throw new BulwarkError('E_LIMIT', `${path}: Dockerfile is ${size} bytes, over the 4 MiB limit`);
  const text = await readFile(path, 'utf8');
  // The context's .dockerignore, or BuildKit's per-Dockerfile <name>.dockerignore.
  const isFile = (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);
  const hasDockerignore = (await isFile(join(dirname(path), '.dockerignore'))) || (await isFile(`${path}.dockerignore`));
  return lintDockerfile(text, { path, hasDockerignore });
}

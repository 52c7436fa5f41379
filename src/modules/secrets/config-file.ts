import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import type { SecretAllowList } from './types.js';

/** `--secret-config` (docs/secrets.md): the allow list, in YAML or JSON. */
const configSchema = z
  .object({
    allow: z
      .object({
        rules: z.array(z.string().min(1)).optional(),
        paths: z.array(z.string().min(1)).optional(),
        values: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface SecretConfig {
  allowList?: SecretAllowList;
}

export function loadSecretConfig(path: string): SecretConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('E_INPUT', `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read secret config (${code ?? (e as Error).message})`}`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new BulwarkError('E_INPUT', `${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulwarkError('E_INPUT', `${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const values = parsed.data.allow?.values ?? [];
  for (const [i, v] of values.entries()) {
    try {
      new RegExp(v);
    } catch (e) {
      throw new BulwarkError('E_INPUT', `${path}: allow.values[${i}]: not a regular expression (${(e as Error).message})`);
    }
  }
  return parsed.data.allow ? { allowList: parsed.data.allow } : {};
}

import { parse } from 'smol-toml';
import { LockfileError, type LockEntry } from './lock-entry.js';
import { poetryLockSchema } from './schema.js';

/** Parses TOML, turning the parser's error into a LockfileError. */
export function parseToml(text: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw new LockfileError(`not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * poetry.lock. Scope: Poetry 2 (lock 2.1) lists each package's `groups` ("main" is the runtime group);
 * Poetry before 1.5 wrote `category` main/dev; 1.5-1.8 wrote neither, so the scope stays unknown.
 * `optional = true` marks packages only an extra pulls in.
 */
export function parsePoetryLock(text: string): LockEntry[] {
  const parsed = poetryLockSchema.safeParse(parseToml(text));
  if (!parsed.success) throw new LockfileError(`not a poetry.lock: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data.package.map((p) => {
    const entry: LockEntry = { name: p.name, version: p.version };
    const main = p.groups ? p.groups.includes('main') : p.category === undefined ? undefined : p.category === 'main';
    if (main === true) entry.scope = p.optional ? 'optional' : 'prod';
    else if (main === false) entry.scope = 'dev';
    else if (p.optional) entry.scope = 'optional';
    return entry;
  });
}

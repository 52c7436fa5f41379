import { LockfileError, type LockEntry } from './lock-entry.js';
import { pipfileLockSchema } from './schema.js';

/** Pipfile.lock: "default" are the runtime packages, "develop" the dev ones; versions are "==X". */
export function parsePipfileLock(text: string): LockEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LockfileError(`not valid JSON: ${(error as Error).message}`);
  }
  const parsed = pipfileLockSchema.safeParse(json);
  if (!parsed.success) throw new LockfileError(`not a Pipfile.lock: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const entries: LockEntry[] = [];
  const sections = [['default', 'prod'], ['develop', 'dev']] as const;
  for (const [section, scope] of sections) {
    for (const [name, entry] of Object.entries(parsed.data[section] ?? {})) {
      // VCS, path and URL requirements carry no version pin.
      const version = /^===?\s*(\S+)$/.exec(entry.version?.trim() ?? '')?.[1];
      if (version) entries.push({ name, version, scope });
    }
  }
  return entries;
}

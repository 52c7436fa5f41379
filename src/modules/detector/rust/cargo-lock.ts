import { parse } from 'smol-toml';
import { cargoLock } from './schema.js';

export interface LockedCrate {
  name: string;
  version: string;
  source?: string;
}

/** Every `[[package]]` of a Cargo.lock (workspace members have no `source`), or an error message. */
export function parseCargoLock(text: string): LockedCrate[] | string {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return `not valid TOML (${(error as Error).message.split('\n')[0]})`;
  }
  const parsed = cargoLock.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return `unexpected content: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`;
  }
  return (parsed.data.package ?? []).map((p) => {
    const crate: LockedCrate = { name: p.name, version: p.version };
    if (p.source) crate.source = p.source;
    return crate;
  });
}

import { existsSync } from 'node:fs';
import { dbFilePath } from './paths.js';
import type { DbSource } from './types.js';
import { isStale, VulnDb } from './vulndb.js';

export interface SourceStatus extends DbSource {
  ageMs: number;
  stale: boolean;
}

export interface DbStatus {
  path: string;
  exists: boolean;
  schemaVersion?: number;
  sizeBytes?: number;
  /** True when any source is older than the allowed age, or there is no data at all. */
  stale: boolean;
  sources: SourceStatus[];
}

/** What `bulwark db status` shows. Throws E_DB for a corrupt database, like any reader. */
export function dbStatus(dbDir: string, maxAgeMs: number, now: Date = new Date()): DbStatus {
  const path = dbFilePath(dbDir);
  const db = existsSync(path) ? VulnDb.open(dbDir) : undefined;
  if (!db) return { path, exists: false, stale: true, sources: [] };
  try {
    const sources = db.sources().map((s) => ({ ...s, ageMs: now.getTime() - Date.parse(s.fetchedAt), stale: isStale(s, maxAgeMs, now) }));
    return { path, exists: true, schemaVersion: db.schemaVersion, sizeBytes: db.sizeBytes(), stale: sources.length === 0 || sources.some((s) => s.stale), sources };
  } finally {
    db.close();
  }
}

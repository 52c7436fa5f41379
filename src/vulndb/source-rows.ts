import type Database from 'better-sqlite3';
import type { DbSource } from './types.js';

interface SourceRow {
  ecosystem: string;
  origin: string;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string;
  records: number;
  withdrawn: number;
}

/** The sources table as DbSource objects, sorted by ecosystem. */
export function readSources(db: Database.Database): DbSource[] {
  const rows = db.prepare('SELECT * FROM sources ORDER BY ecosystem').all() as SourceRow[];
  return rows.map((row) => {
    const source: DbSource = { ecosystem: row.ecosystem, origin: row.origin, fetchedAt: row.fetched_at, records: row.records, withdrawn: row.withdrawn };
    if (row.etag !== null) source.etag = row.etag;
    if (row.last_modified !== null) source.lastModified = row.last_modified;
    return source;
  });
}

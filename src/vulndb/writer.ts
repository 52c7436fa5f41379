import type Database from 'better-sqlite3';
import { encodeAffected } from './affected-codec.js';
import { baseEcosystem, packageNameKey } from './names.js';
import { readSources } from './source-rows.js';
import type { DbSource, OsvRecord } from './types.js';

export type SourceOrigin = Pick<DbSource, 'ecosystem' | 'origin' | 'etag' | 'lastModified' | 'fetchedAt'>;

/** What the writer remembers of each record it stored in this build, to resolve duplicate ids. */
interface Stored {
  rowid: number;
  modified: string;
  withdrawn: boolean;
}

/**
 * Writes records into a database under construction (a temporary copy; see replace.ts). Records only
 * go into sources cleared in this build, so the writer knows every record of those sources and keeps
 * (source, id) unique and the counts itself. The caller holds the transaction and calls finish()
 * before committing.
 *
 * Index rows are staged in a temporary table and moved into `affected` sorted, in one statement, at
 * the end: inserting them one by one in record order lands each in a random place of the b-tree,
 * which cost three times as much as everything else SQLite does in an import.
 */
export class DbWriter {
  private readonly replaced = new Map<string, Map<string, Stored>>();
  private readonly insertRecord: Database.Statement;
  private readonly deleteRecord: Database.Statement;
  private readonly stageIndex: Database.Statement;
  private readonly supersede: Database.Statement;
  private readonly deleteSourceIndex: Database.Statement;
  private readonly deleteSourceRecords: Database.Statement;
  private readonly upsertSource: Database.Statement;
  private readonly touch: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertRecord = db.prepare('INSERT INTO records (source, id, modified, withdrawn, json) VALUES (?, ?, ?, ?, ?)');
    this.deleteRecord = db.prepare('DELETE FROM records WHERE rowid = ?');
    // TEMP tables live in SQLite's temp store (a file it deletes itself), so staging costs no memory.
    db.exec(`
      CREATE TEMP TABLE staged_affected (ecosystem TEXT NOT NULL, name_key TEXT NOT NULL, record INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TEMP TABLE superseded (record INTEGER PRIMARY KEY);`);
    this.stageIndex = db.prepare('INSERT INTO staged_affected (ecosystem, name_key, record, position, name, json) VALUES (?, ?, ?, ?, ?, ?)');
    this.supersede = db.prepare('INSERT OR IGNORE INTO superseded (record) VALUES (?)');
    // A source's index rows are exactly those whose ecosystem is the source or starts with "source:"
    // (see addRecord), so they are deleted through the primary key without an index on `record`.
    this.deleteSourceIndex = db.prepare('DELETE FROM affected WHERE ecosystem = ? OR (ecosystem >= ? AND ecosystem < ?)');
    this.deleteSourceRecords = db.prepare('DELETE FROM records WHERE source = ?');
    this.upsertSource = db.prepare(`
      INSERT INTO sources (ecosystem, origin, etag, last_modified, fetched_at, records, withdrawn)
      VALUES (@ecosystem, @origin, @etag, @lastModified, @fetchedAt, @records, @withdrawn)
      ON CONFLICT(ecosystem) DO UPDATE SET origin = excluded.origin, etag = excluded.etag,
        last_modified = excluded.last_modified, fetched_at = excluded.fetched_at,
        records = excluded.records, withdrawn = excluded.withdrawn`);
    this.touch = db.prepare('UPDATE sources SET fetched_at = ? WHERE ecosystem = ?');
  }

  /** Drops every record of a source, the first time it is asked for in this build. */
  clearSource(source: string): void {
    if (this.replaced.has(source)) return;
    this.replaced.set(source, new Map());
    this.deleteSourceIndex.run(source, `${source}:`, `${source};`);
    this.deleteSourceRecords.run(source);
  }

  /** Sources cleared (and so replaced) in this build. */
  replacedSources(): string[] {
    return [...this.replaced.keys()];
  }

  /**
   * Stores a record under a source cleared in this build and indexes its affected entries of that
   * source's ecosystem (only those: each source indexes its own ecosystem, so replacing a source
   * replaces exactly its index rows). A second record with the same id keeps whichever was modified last (OSV's rule).
   */
  addRecord(source: string, record: OsvRecord): void {
    this.clearSource(source);
    const stored = this.replaced.get(source) as Map<string, Stored>;
    const withdrawn = record.withdrawn !== undefined;
    // The affected entries live in the index (one row each); the record keeps the rest, so that a
    // matched record parses without its version lists.
    const json = JSON.stringify({ ...record, affected: undefined });
    const old = stored.get(record.id);
    if (old && !isNewer(record.modified, old.modified)) return;
    const rowid = Number(this.insertRecord.run(source, record.id, record.modified, withdrawn ? 1 : 0, json).lastInsertRowid);
    if (old) {
      // The older copy goes, and its staged index rows are dropped when the index is built. It is
      // deleted after the insert so that its rowid, no longer the largest, is never handed out again.
      this.deleteRecord.run(old.rowid);
      this.supersede.run(old.rowid);
    }
    stored.set(record.id, { rowid, modified: record.modified, withdrawn });
    if (withdrawn) return;
    record.affected.forEach((a, position) => {
      const ecosystem = a.package.ecosystem;
      if (baseEcosystem(ecosystem) !== source) return;
      this.stageIndex.run(ecosystem, packageNameKey(ecosystem, a.package.name), rowid, position, a.package.name, encodeAffected(a));
    });
  }

  /** Moves the staged index rows into the index, sorted; call once, before COMMIT. */
  finish(): void {
    this.db.exec(`
      INSERT OR IGNORE INTO affected (ecosystem, name_key, record, position, name, json)
        SELECT ecosystem, name_key, record, position, name, json FROM staged_affected s
        WHERE NOT EXISTS (SELECT 1 FROM superseded x WHERE x.record = s.record)
        ORDER BY ecosystem, name_key, record, position;
      DROP TABLE staged_affected;
      DROP TABLE superseded;`);
  }

  /** The sources as they stand in the database being built. */
  sources(): DbSource[] {
    return readSources(this.db);
  }

  /** A source the server said is unchanged (HTTP 304): same records, new fetch time. */
  touchSource(ecosystem: string, fetchedAt: string): void {
    this.touch.run(fetchedAt, ecosystem);
  }

  /** Records where a replaced source came from, with its counts. */
  setSource(origin: SourceOrigin): void {
    const stored = [...(this.replaced.get(origin.ecosystem)?.values() ?? [])];
    this.upsertSource.run({
      etag: null,
      lastModified: null,
      ...origin,
      records: stored.length,
      withdrawn: stored.filter((s) => s.withdrawn).length,
    });
  }
}

/** The sources a record belongs to: the OSV top-level ecosystems of its affected packages. */
export function recordSources(record: OsvRecord): string[] {
  return [...new Set(record.affected.map((a) => baseEcosystem(a.package.ecosystem)))];
}

function isNewer(candidate: string, current: string): boolean {
  const a = Date.parse(candidate);
  const b = Date.parse(current);
  return Number.isNaN(a) || Number.isNaN(b) ? candidate > current : a > b;
}

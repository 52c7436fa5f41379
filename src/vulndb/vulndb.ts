import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BulwarkError } from '../core/errors.js';
import type { VulnDbInfo } from '../core/scan-result.js';
import { decodeAffected } from './affected-codec.js';
import { canonicalEcosystems } from './ecosystems.js';
import { acquireLock } from './lock.js';
import { newerSchemaError, readSchemaVersion, SCHEMA_VERSION } from './migrations.js';
import { dbFilePath } from './paths.js';
import { asDbError, beginReplacement } from './replace.js';
import { readSources } from './source-rows.js';
import type { AdvisoryLookup, AffectedMatchCandidate, DbSource, OsvAffected, OsvRecordCore } from './types.js';

/**
 * The vulnerability database, opened read-only for matching. A lookup reads and parses only the
 * affected entries of its package (stored next to the index); a candidate's record is read and
 * parsed on first access and then shared: callers must not mutate what lookup() returns.
 */
export class VulnDb implements AdvisoryLookup {
  private readonly indexRows: Database.Statement<[string, string], [number, string, string]>;
  private readonly recordJson: Database.Statement<[number], string>;
  private readonly parsed = new Map<number, OsvRecordCore>();
  private readonly loadRecord = (rowid: number): OsvRecordCore => this.record(rowid);

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly schemaVersion: number,
  ) {
    this.indexRows = db.prepare<[string, string], [number, string, string]>('SELECT record, name, json FROM affected WHERE ecosystem = ? AND name_key = ?').raw();
    this.recordJson = db.prepare<[number], string>('SELECT json FROM records WHERE rowid = ?').pluck();
  }

  /**
   * Opens the database in `dir`; undefined when there is none. Throws E_DB when the file is corrupt,
   * not a Bulwark database, or of a newer schema. An older schema is migrated first (under the lock).
   */
  static open(dir: string): VulnDb | undefined {
    const file = dbFilePath(dir);
    if (!existsSync(file)) return undefined;
    let db = openReadOnly(file);
    try {
      let version = readSchemaVersion(db, file);
      if (version > SCHEMA_VERSION) throw newerSchemaError(file, version);
      if (version < SCHEMA_VERSION) {
        db.close();
        migrateFile(dir);
        db = openReadOnly(file);
        version = readSchemaVersion(db, file);
      }
      return new VulnDb(db, file, version);
    } catch (e) {
      if (db.open) db.close();
      throw asDbError(e, file);
    }
  }

  /**
   * Non-withdrawn records with an affected entry for this exact ecosystem ("Debian:12") and package
   * name key. `affected` is parsed now; `record` when first read (a matcher that reads it only for
   * entries whose ranges hold the installed version parses far fewer records).
   */
  lookup(ecosystem: string, nameKey: string): AffectedMatchCandidate[] {
    try {
      return this.indexRows.all(ecosystem, nameKey).map(([rowid, name, json]) => new Candidate(rowid, decodeAffected(ecosystem, name, json), this.loadRecord));
    } catch (e) {
      throw asDbError(e, this.path);
    }
  }

  sources(): DbSource[] {
    try {
      return readSources(this.db);
    } catch (e) {
      throw asDbError(e, this.path);
    }
  }

  /**
   * What a report says about the data: newest fetch time, and stale when a source (of `ecosystems`,
   * when given) is older than maxAgeMs, or one of `ecosystems` has no data at all.
   */
  info(maxAgeMs: number, now: Date = new Date(), ecosystems?: readonly string[]): VulnDbInfo {
    const all = this.sources();
    const wanted = ecosystems === undefined ? undefined : canonicalEcosystems(ecosystems, all.map((s) => s.ecosystem));
    const sources = wanted === undefined ? all : all.filter((s) => wanted.includes(s.ecosystem));
    const missing = wanted !== undefined && wanted.some((w) => !sources.some((s) => s.ecosystem === w));
    const newest = sources.reduce((max, s) => Math.max(max, Date.parse(s.fetchedAt)), 0);
    return {
      schemaVersion: this.schemaVersion,
      updatedAt: new Date(newest).toISOString(),
      stale: missing || sources.length === 0 || sources.some((s) => isStale(s, maxAgeMs, now)),
      sources: sources.map((s) => ({ ecosystem: s.ecosystem, records: s.records, fetchedAt: s.fetchedAt, origin: s.origin })),
    };
  }

  /** Size of the database file in bytes. */
  sizeBytes(): number {
    return statSync(this.path).size;
  }

  close(): void {
    this.parsed.clear();
    if (this.db.open) this.db.close();
  }

  private record(rowid: number): OsvRecordCore {
    let record = this.parsed.get(rowid);
    if (!record) {
      let json: string | undefined;
      try {
        json = this.recordJson.get(rowid);
      } catch (e) {
        throw asDbError(e, this.path);
      }
      if (json === undefined) throw new BulwarkError('E_DB', `${this.path}: index points at missing record ${rowid}; run \`bulwark db update\``);
      record = JSON.parse(json) as OsvRecordCore;
      this.parsed.set(rowid, record);
    }
    return record;
  }
}

/** One affected entry found by a lookup; its record is loaded on first access (and cached by the database). */
class Candidate implements AffectedMatchCandidate {
  constructor(
    private readonly rowid: number,
    readonly affected: OsvAffected,
    private readonly load: (rowid: number) => OsvRecordCore,
  ) {}

  get record(): OsvRecordCore {
    return this.load(this.rowid);
  }
}

export function isStale(source: Pick<DbSource, 'fetchedAt'>, maxAgeMs: number, now: Date): boolean {
  const fetched = Date.parse(source.fetchedAt);
  return Number.isNaN(fetched) || now.getTime() - fetched > maxAgeMs;
}

function openReadOnly(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // Keep the shared lock between statements: otherwise every lookup re-locks the file and re-reads
    // its header (~14 µs of system calls each). Safe because writers never change this file in
    // place; they rename a new one over it, and this connection keeps reading the one it opened.
    db.pragma('locking_mode = EXCLUSIVE');
    // Plain reads into a 64 MiB page cache, not mmap: matching touches a few thousand pages scattered
    // over a file of hundreds of MB, and a page fault on this kind of VM costs more than a pread
    // (bench/match.bench.ts: 2,000 packages 162 -> 99 ms, lookups alone 27 -> 17 ms).
    db.pragma('mmap_size = 0');
    db.pragma('cache_size = -65536');
    return db;
  } catch (e) {
    // A pragma that fails on a corrupt file must not leave the connection (and its lock) behind.
    if (db?.open) db.close();
    throw asDbError(e, file);
  }
}

/** Rewrites an older database to the current schema the same way updates do: a copy, then rename. */
function migrateFile(dir: string): void {
  const lock = acquireLock(dir);
  try {
    beginReplacement(dir).commit();
  } finally {
    lock.release();
  }
}

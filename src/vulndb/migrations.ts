import type Database from 'better-sqlite3';
import { BulwarkError } from '../core/errors.js';

/** Marks the SQLite file as Bulwark's vulnerability database ("BWKD"), so a stray SQLite file is not taken for one. */
export const APPLICATION_ID = 0x42574b44;

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/**
 * Every schema change, in order; a database is brought to the last version when a writer opens it
 * (and when a reader finds it older). Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'records per source, package index, sources',
    up: (db) =>
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        -- One row per OSV ecosystem directory ("Debian", "npm"): where it came from and HTTP validators.
        CREATE TABLE sources (
          ecosystem TEXT PRIMARY KEY,
          origin TEXT NOT NULL,
          etag TEXT,
          last_modified TEXT,
          fetched_at TEXT NOT NULL,
          records INTEGER NOT NULL,
          withdrawn INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- A record is stored once per source; json is the validated OsvRecord. (source, id) is unique:
        -- the writer enforces it in memory, since a source is always rewritten whole, and a unique
        -- index filled in random id order would cost a third of an import's database time.
        CREATE TABLE records (
          rowid INTEGER PRIMARY KEY,
          source TEXT NOT NULL,
          id TEXT NOT NULL,
          modified TEXT NOT NULL,
          withdrawn INTEGER NOT NULL,
          json TEXT NOT NULL
        );
        CREATE INDEX records_by_source ON records (source);
        -- (full ecosystem, package name key) -> affected entry of a non-withdrawn record of the same
        -- source. The entry is repeated here (name as published, the rest in affected-codec.ts form)
        -- so that a lookup reads one contiguous range of this table and parses a couple of hundred
        -- bytes per candidate; the record is read only when used.
        CREATE TABLE affected (
          ecosystem TEXT NOT NULL,
          name_key TEXT NOT NULL,
          record INTEGER NOT NULL,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          json TEXT NOT NULL,
          PRIMARY KEY (ecosystem, name_key, record, position)
        ) WITHOUT ROWID;
      `),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** 0 for a fresh (empty) file; throws for an SQLite file that is not ours. */
export function readSchemaVersion(db: Database.Database, file: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  if (appId === 0 && tables === 0) return 0;
  if (appId !== APPLICATION_ID) throw new BulwarkError('E_DB', `${file} is an SQLite file but not a bulwark vulnerability database`);
  const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) throw new BulwarkError('E_DB', `${file}: schema version "${String(value)}" is not a number`);
  return version;
}

export function newerSchemaError(file: string, version: number): BulwarkError {
  return new BulwarkError(
    'E_DB',
    `${file} has schema version ${version}, newer than this bulwark reads (${SCHEMA_VERSION}); upgrade bulwark or delete the file and run \`bulwark db update\``,
  );
}

/** Brings a writable database to the last schema version inside one transaction. */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const target = migrations[migrations.length - 1]?.version ?? 0;
  const current = readSchemaVersion(db, file);
  if (current > target) throw newerSchemaError(file, current);
  if (current === target) return current;
  db.transaction(() => {
    for (const m of migrations) if (m.version > current) m.up(db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      String(target),
    );
  })();
  return target;
}

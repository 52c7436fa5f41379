import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { acquireLock, type DbLock } from './lock.js';
import { migrate, newerSchemaError, readSchemaVersion, SCHEMA_VERSION } from './migrations.js';
import { dbFilePath, TEMP_PREFIX } from './paths.js';
import { DbWriter } from './writer.js';

/** A database being rebuilt in a temporary file next to the real one; nothing is visible until commit(). */
export interface Replacement {
  readonly db: Database.Database;
  readonly writer: DbWriter;
  /** Commits, makes the file durable and renames it over the real database. */
  commit(): void;
  /** Throws the work away: the temporary file goes, the real database was never touched. */
  abort(): void;
}

/** Runs `work` holding the directory's writer lock (created if needed); the lock goes whatever happens. */
export async function withWriterLock<T>(dbDir: string, work: (lock: DbLock) => Promise<T>): Promise<T> {
  mkdirSync(dbDir, { recursive: true });
  const lock = acquireLock(dbDir);
  try {
    removeLeftovers(dbDir);
    return await work(lock);
  } finally {
    lock.release();
  }
}

/**
 * Starts a replacement: copies the current database (if any) to a temporary file, migrates it and
 * opens a transaction. The caller must hold the writer lock.
 */
export function beginReplacement(dbDir: string): Replacement {
  const real = dbFilePath(dbDir);
  const temp = join(dbDir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  const removeTemp = (): void => {
    for (const suffix of ['', '-journal']) rmSync(`${temp}${suffix}`, { force: true });
  };
  // process.exit (Ctrl-C in the CLI) skips finally blocks; the scratch file must still go.
  process.once('exit', removeTemp);
  let db: Database.Database | undefined;
  try {
    if (existsSync(real)) {
      checkReadable(real);
      copyFileSync(real, temp);
    }
    const fresh = !existsSync(temp);
    db = new Database(temp);
    // OSV records are ~1.5 KB of JSON: 8 KiB pages hold five with little slack (4 KiB pages waste a
    // quarter of the file on half-empty pages). Only a new file can choose its page size.
    if (fresh) db.pragma('page_size = 8192');
    // The temporary file is thrown away on any failure, so it needs no rollback journal and no
    // syncs while it is built; it is fsynced once, whole, before the rename.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -16384');
    migrate(db, real);
    setMeta(db);
    db.exec('BEGIN');
  } catch (e) {
    db?.close();
    removeTemp();
    process.removeListener('exit', removeTemp);
    throw asDbError(e, real);
  }
  const opened = db;
  const writer = new DbWriter(opened);
  let done = false;
  return {
    db: opened,
    writer,
    commit() {
      if (done) throw new Error('replacement already finished');
      done = true;
      try {
        writer.finish();
        opened.exec('COMMIT');
        compactIfWasteful(opened);
        opened.close();
        syncFile(temp);
        renameSync(temp, real);
        syncFile(dbDir);
      } catch (e) {
        if (opened.open) opened.close();
        removeTemp();
        throw asDbError(e, real);
      } finally {
        process.removeListener('exit', removeTemp);
      }
    },
    abort() {
      if (done) return;
      done = true;
      if (opened.open) opened.close();
      removeTemp();
      process.removeListener('exit', removeTemp);
    },
  };
}

/** Runs `build` on a replacement and commits it, or aborts on any error (then rethrows). */
export async function replaceDb<T>(dbDir: string, build: (r: Replacement) => Promise<T>): Promise<T> {
  const replacement = beginReplacement(dbDir);
  try {
    const result = await build(replacement);
    replacement.commit();
    return result;
  } catch (e) {
    replacement.abort();
    throw e;
  }
}

/** The current file must be ours, readable and not newer before it is copied and built upon. */
function checkReadable(file: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = readSchemaVersion(db, file);
    if (version > SCHEMA_VERSION) throw newerSchemaError(file, version);
  } catch (e) {
    throw asDbError(e, file);
  } finally {
    db?.close();
  }
}

function setMeta(db: Database.Database): void {
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  put.run('written_by', `bulwark ${toolVersion()}`);
}

/** Replacing a big source leaves free pages; past a quarter of the file, VACUUM gives them back. */
function compactIfWasteful(db: Database.Database): void {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (free > 1024 && free * 4 > pages) db.exec('VACUUM');
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Scratch files of a writer that died without cleaning up (SIGKILL); only called under the lock. */
function removeLeftovers(dbDir: string): void {
  for (const name of readdirSync(dbDir)) {
    if (name.startsWith(TEMP_PREFIX)) rmSync(join(dbDir, name), { force: true, recursive: true });
  }
}

export function asDbError(e: unknown, file: string): BulwarkError {
  if (isBulwarkError(e)) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) {
    return new BulwarkError('E_DB', `vulnerability database ${file} is corrupt (${err.message}); delete it and run \`bulwark db update\``, { cause: e });
  }
  if (code === 'ENOSPC') return new BulwarkError('E_DB', `no space left writing the vulnerability database next to ${file}`, { cause: e });
  return new BulwarkError('E_DB', `vulnerability database ${file}: ${err.message ?? String(e)}`, { cause: e });
}

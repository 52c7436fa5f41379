import Database from 'better-sqlite3';
import { isBulwarkError } from '../../../core/errors.js';
import { formatError, type RpmBlob } from './blob.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Reads Packages(hnum, blob) from an rpmdb.sqlite image held in memory. */
export function readSqliteBlobs(content: Buffer, dbPath: string): RpmBlob[] {
  if (content.length < 100 || !content.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw formatError(dbPath, 'not an SQLite database (bad magic or truncated header)');
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(withoutWal(content), { readonly: true });
    const rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as Array<{
      hnum: unknown;
      blob: unknown;
    }>;
    return rows.map((row) => toBlob(row, dbPath));
  } catch (e) {
    if (isBulwarkError(e)) throw e;
    throw formatError(dbPath, e instanceof Error ? e.message : String(e));
  } finally {
    db?.close();
  }
}

/**
 * rpm leaves its database in WAL mode (header bytes 18/19 = 2), which SQLite refuses to open from
 * memory; marking it rollback-journal (1) reads the same pages. The copy keeps the caller's buffer intact.
 */
function withoutWal(content: Buffer): Buffer {
  if (content[18] !== 2 && content[19] !== 2) return content;
  const copy = Buffer.from(content);
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}

function toBlob(row: { hnum: unknown; blob: unknown }, dbPath: string): RpmBlob {
  const headerNumber = typeof row.hnum === 'bigint' ? Number(row.hnum) : row.hnum;
  if (typeof headerNumber !== 'number' || !Number.isInteger(headerNumber)) {
    throw formatError(dbPath, `Packages row has a non-integer hnum`);
  }
  if (!Buffer.isBuffer(row.blob)) throw formatError(dbPath, `header #${headerNumber} has no blob`);
  return { headerNumber, blob: row.blob };
}

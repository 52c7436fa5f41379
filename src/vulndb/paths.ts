import { join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { DEFAULT_OSV_BASE_URL } from '../modules/advisory/osv/index.js';

/** Where `db update` downloads from unless --db-url or BULWARK_DB_URL says otherwise. */
export const DEFAULT_DB_URL = DEFAULT_OSV_BASE_URL;

/** The database file inside its directory. */
export const DB_FILE = 'vulndb.sqlite';
/** Held while a writer builds a replacement, so two writers never race. */
export const LOCK_FILE = 'vulndb.lock';
/** Prefix of every scratch file a writer leaves next to the database while it works. */
export const TEMP_PREFIX = '.vulndb-tmp-';

/**
 * The database directory when no --cache-dir is given: BULWARK_CACHE_DIR, else `db` in the user
 * cache dir (~/.cache/bulwark/db on Linux; env-paths' "-nodejs" suffix is dropped so the folder
 * carries the tool's name).
 */
export function defaultDbDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BULWARK_CACHE_DIR) return resolve(env.BULWARK_CACHE_DIR);
  return join(envPaths('bulwark', { suffix: '' }).cache, 'db');
}

/** The database directory: the explicit one (--cache-dir), else the default. */
export function resolveDbDir(cacheDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return cacheDir ? resolve(cacheDir) : defaultDbDir(env);
}

/** The base URL: --db-url, else BULWARK_DB_URL, else OSV's public bucket. */
export function resolveDbUrl(dbUrl?: string, env: NodeJS.ProcessEnv = process.env): string {
  return (dbUrl || env.BULWARK_DB_URL || DEFAULT_DB_URL).replace(/\/+$/, '');
}

export function dbFilePath(dbDir: string): string {
  return join(dbDir, DB_FILE);
}

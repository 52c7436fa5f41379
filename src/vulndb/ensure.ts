import { BulwarkError } from '../core/errors.js';
import { canonicalEcosystems } from './ecosystems.js';
import type { ProgressListener } from './progress.js';
import type { DbSource } from './types.js';
import { updateDb } from './update.js';
import { isStale, VulnDb } from './vulndb.js';

export interface EnsureFreshDbOptions {
  dbDir: string;
  /** The ecosystems the scan needs, full ("Debian:12") or top-level ("Debian"). */
  ecosystems: readonly string[];
  baseUrl: string;
  maxAgeMs: number;
  offline: boolean;
  skipUpdate: boolean;
  timeoutMs: number;
  insecure?: boolean;
  onWarning: (message: string) => void;
  onProgress?: ProgressListener;
  now?: Date;
}

/**
 * The database a scan matches against. When it is missing, stale, or lacks a needed ecosystem, the
 * needed ecosystems are updated first, unless offline or skipUpdate. Data that could not be brought
 * up to date is used with a warning, on every scan; with no database at all, an E_DB error says how
 * to get one.
 */
export async function ensureFreshDb(options: EnsureFreshDbOptions): Promise<VulnDb> {
  const now = options.now ?? new Date();
  let db = VulnDb.open(options.dbDir);
  const needed = canonicalEcosystems(options.ecosystems, db?.sources().map((s) => s.ecosystem));
  const outdated = (current: VulnDb | undefined): string[] => {
    const sources = current?.sources() ?? [];
    return needed.filter((e) => {
      const source = sources.find((s) => s.ecosystem === e);
      return !source || isStale(source, options.maxAgeMs, now);
    });
  };

  let toUpdate = outdated(db);
  let updateFailure: string | undefined;
  if (toUpdate.length > 0 && !options.offline && !options.skipUpdate) {
    try {
      db?.close();
      db = undefined;
      await updateDb({
        dbDir: options.dbDir,
        baseUrl: options.baseUrl,
        ecosystems: toUpdate,
        timeoutMs: options.timeoutMs,
        insecure: options.insecure,
        onProgress: options.onProgress,
        now,
      });
    } catch (e) {
      updateFailure = (e as Error).message;
    }
    db = VulnDb.open(options.dbDir);
    toUpdate = outdated(db);
  }

  if (!db) throw noDatabase(options, needed, updateFailure);
  if (updateFailure !== undefined) options.onWarning(`could not update the vulnerability database: ${updateFailure}`);
  const sources = db.sources();
  for (const ecosystem of toUpdate) options.onWarning(staleWarning(ecosystem, sources, now, options));
  return db;
}

function staleWarning(ecosystem: string, sources: DbSource[], now: Date, options: EnsureFreshDbOptions): string {
  const why = options.offline ? ' (--offline)' : options.skipUpdate ? ' (--skip-db-update)' : '';
  const source = sources.find((s) => s.ecosystem === ecosystem);
  if (!source) {
    return `the vulnerability database has no ${ecosystem} data${why}: ${ecosystem} packages are not checked; run \`bulwark db update --ecosystems ${ecosystem}\``;
  }
  return `the vulnerability database's ${ecosystem} data is stale${why}: fetched ${source.fetchedAt} (${formatAge(now.getTime() - Date.parse(source.fetchedAt))} ago), findings may miss recent advisories; run \`bulwark db update\``;
}

function noDatabase(options: EnsureFreshDbOptions, needed: string[], updateFailure: string | undefined): BulwarkError {
  const why = updateFailure !== undefined ? `the update failed: ${updateFailure}` : options.offline ? '--offline' : options.skipUpdate ? '--skip-db-update' : 'no ecosystem to fetch for this scan';
  const list = needed.length > 0 ? ` --ecosystems ${needed.join(',')}` : ' --ecosystems Debian,npm';
  return new BulwarkError(
    'E_DB',
    `no vulnerability database in ${options.dbDir} (${why}); get one with \`bulwark db update${list}\` or, offline, \`bulwark db import PATH\``,
  );
}

/** "3d 4h", "5h 10m", "42m", "12s". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

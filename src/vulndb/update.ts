import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { createDownloadAgent, checkDownloadUrl, downloadZip, type DownloadOutcome, type Validators } from './download.js';
import { canonicalEcosystems } from './ecosystems.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './import-limits.js';
import { loadDocuments } from './load-documents.js';
import { dbFilePath, DEFAULT_DB_URL, TEMP_PREFIX } from './paths.js';
import type { ProgressListener } from './progress.js';
import { replaceDb, withWriterLock } from './replace.js';
import type { DbSource } from './types.js';
import { openOsvZip } from './zip-documents.js';

export interface UpdateDbOptions {
  dbDir: string;
  /** Where `<base>/<Ecosystem>/all.zip` lives; default OSV's public bucket. */
  baseUrl?: string;
  /** OSV ecosystems in any case ("debian", "Debian:12" both mean Debian); default: those in the database. */
  ecosystems?: readonly string[];
  timeoutMs?: number;
  /** Allows plain HTTP to a non-loopback host and unverified TLS. */
  insecure?: boolean;
  limits?: Partial<ImportLimits>;
  onProgress?: ProgressListener;
  /** Time stamped on the sources fetched (tests). */
  now?: Date;
}

export interface SourceUpdate {
  ecosystem: string;
  status: 'updated' | 'not-modified';
  records: number;
  withdrawn: number;
  /** Bytes downloaded (0 when not modified). */
  bytes: number;
}

export interface UpdateResult {
  path: string;
  sources: SourceUpdate[];
}

interface Fetched {
  ecosystem: string;
  url: string;
  zipPath: string;
  outcome: DownloadOutcome;
}

/**
 * Downloads each ecosystem's all.zip (conditionally, with the stored validators) and replaces those
 * sources in one go: every download completes and every record parses, or the database is left
 * exactly as it was.
 */
export async function updateDb(options: UpdateDbOptions): Promise<UpdateResult> {
  const baseUrl = (options.baseUrl ?? DEFAULT_DB_URL).replace(/\/+$/, '');
  const insecure = options.insecure ?? false;
  checkDownloadUrl(baseUrl, insecure);
  const asked = canonicalEcosystems(options.ecosystems ?? []);
  if (asked.length === 0 && !existsSync(dbFilePath(options.dbDir))) throw noEcosystems(options.dbDir);
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const fetchedAt = (options.now ?? new Date()).toISOString();

  return withWriterLock(options.dbDir, () =>
    replaceDb(options.dbDir, async ({ writer }) => {
      const known = writer.sources();
      const ecosystems = asked.length > 0 ? canonicalEcosystems(asked, known.map((s) => s.ecosystem)) : known.map((s) => s.ecosystem);
      if (ecosystems.length === 0) throw noEcosystems(options.dbDir);
      const scratch = scratchFiles(options.dbDir);
      try {
        const fetched = await fetchAll(ecosystems, known, scratch.next, { ...options, baseUrl, insecure, timeoutMs, limits });
        const results: SourceUpdate[] = [];
        for (const f of fetched) {
          if (f.outcome.kind === 'downloaded') {
            const zip = await openOsvZip(f.zipPath, limits);
            try {
              await loadDocuments(writer, zip.documents(), { source: f.ecosystem, totalDocuments: zip.entryCount, onProgress: options.onProgress });
            } finally {
              zip.close();
            }
            rmSync(f.zipPath, { force: true });
            writer.setSource({ ecosystem: f.ecosystem, origin: f.url, etag: f.outcome.etag, lastModified: f.outcome.lastModified, fetchedAt });
          } else {
            writer.touchSource(f.ecosystem, fetchedAt);
          }
          const source = writer.sources().find((s) => s.ecosystem === f.ecosystem);
          results.push({
            ecosystem: f.ecosystem,
            status: f.outcome.kind === 'downloaded' ? 'updated' : 'not-modified',
            records: source?.records ?? 0,
            withdrawn: source?.withdrawn ?? 0,
            bytes: f.outcome.kind === 'downloaded' ? f.outcome.bytes : 0,
          });
        }
        options.onProgress?.({ phase: 'commit' });
        return { path: dbFilePath(options.dbDir), sources: results };
      } finally {
        scratch.removeAll();
      }
    }),
  );
}

/** Downloads every zip before any is imported, so a failed download costs no import work. */
async function fetchAll(
  ecosystems: string[],
  known: DbSource[],
  nextPath: () => string,
  options: Pick<UpdateDbOptions, 'onProgress'> & { baseUrl: string; insecure: boolean; timeoutMs: number; limits: ImportLimits },
): Promise<Fetched[]> {
  const agent = createDownloadAgent(options.timeoutMs, options.insecure);
  try {
    const fetched: Fetched[] = [];
    for (const ecosystem of ecosystems) {
      const url = `${options.baseUrl}/${encodeURIComponent(ecosystem)}/all.zip`;
      const zipPath = nextPath();
      const previous = known.find((s) => s.ecosystem === ecosystem);
      // Validators only mean something for the same URL: a new --db-url downloads afresh.
      const validators: Validators = previous?.origin === url ? { etag: previous.etag, lastModified: previous.lastModified } : {};
      const outcome = await downloadZip(url, zipPath, validators, {
        agent,
        timeoutMs: options.timeoutMs,
        insecure: options.insecure,
        maxBytes: options.limits.maxDownloadBytes,
        onBytes: (bytes, totalBytes) => options.onProgress?.({ phase: 'download', ecosystem, bytes, totalBytes }),
      });
      if (outcome.kind === 'not-modified' && !validators.etag && !validators.lastModified) {
        throw new BulwarkError('E_DB', `GET ${url}: HTTP 304 Not Modified to a request without validators; nothing to keep`);
      }
      fetched.push({ ecosystem, url, zipPath, outcome });
    }
    return fetched;
  } finally {
    await agent.destroy();
  }
}

/** Names for downloaded zips next to the database, all removed at the end (or at process exit). */
function scratchFiles(dir: string): { next: () => string; removeAll: () => void } {
  const paths: string[] = [];
  const removeAll = (): void => {
    for (const path of paths) rmSync(path, { force: true });
    process.removeListener('exit', removeAll);
  };
  process.once('exit', removeAll);
  return {
    next: () => {
      const path = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.zip`);
      paths.push(path);
      return path;
    },
    removeAll,
  };
}

function noEcosystems(dbDir: string): BulwarkError {
  return new BulwarkError(
    'E_USAGE',
    `no ecosystems to update: the vulnerability database in ${dbDir} has none yet; name them, e.g. \`bulwark db update --ecosystems Debian,npm\``,
  );
}

import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { formatAge } from '../vulndb/ensure.js';
import { importDb } from '../vulndb/import.js';
import { resolveDbDir, resolveDbUrl } from '../vulndb/paths.js';
import type { DbProgress, ProgressListener } from '../vulndb/progress.js';
import { dbStatus, type DbStatus } from '../vulndb/status.js';
import { updateDb } from '../vulndb/update.js';
import { formatTable, humanSize, plainStyle } from '../report/text-table.js';
import { parseDuration } from './sizes.js';

interface UpdateFlags {
  ecosystems?: string;
  dbUrl?: string;
  cacheDir?: string;
  timeout: string;
  insecure?: boolean;
  progress: boolean;
}

interface ImportFlags {
  cacheDir?: string;
  progress: boolean;
}

interface StatusFlags {
  cacheDir?: string;
  format: 'table' | 'json';
  maxAge: string;
}

/** `bulwark db update | import | status`: the OSV vulnerability database. */
export function dbCommand(): Command {
  const db = new Command('db').description('manage the vulnerability database (OSV advisories in SQLite under the user cache dir)');
  for (const sub of [updateCommand(), importCommand(), statusCommand()]) {
    db.addCommand(sub.exitOverride().configureOutput({ outputError: () => {} }));
  }
  return db;
}

function updateCommand(): Command {
  return new Command('update')
    .description("download OSV's all.zip of each ecosystem (only what changed) and replace those sources atomically")
    .option('--ecosystems <list>', 'OSV ecosystems, comma-separated, any case (Debian,Ubuntu,Alpine,npm,PyPI,Go,Maven,...); default: those in the database')
    .option('--db-url <url>', 'base URL holding <Ecosystem>/all.zip (or BULWARK_DB_URL; default OSV\'s public bucket)')
    .option('--cache-dir <dir>', 'database directory (or BULWARK_CACHE_DIR; default the user cache dir)')
    .option('--timeout <duration>', 'bound on connecting, waiting and every stall of a download', '60s')
    .option('--insecure', 'allow plain HTTP to a non-loopback host and unverified TLS')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (flags: UpdateFlags) => {
      const timeoutMs = parseDuration(flags.timeout, '--timeout');
      const progress = progressBar(flags.progress);
      const result = await withInterruptExit(() =>
        updateDb({
          dbDir: resolveDbDir(flags.cacheDir),
          baseUrl: resolveDbUrl(flags.dbUrl),
          ecosystems: flags.ecosystems?.split(',') ?? [],
          timeoutMs,
          insecure: flags.insecure ?? false,
          onProgress: progress.update,
        }),
      ).finally(progress.stop);
      const lines = formatTable(
        [{ header: 'ecosystem' }, { header: 'result' }, { header: 'records', align: 'right' }, { header: 'withdrawn', align: 'right' }, { header: 'downloaded', align: 'right' }],
        result.sources.map((s) => [s.ecosystem, s.status, String(s.records), String(s.withdrawn), s.bytes > 0 ? humanSize(s.bytes) : '-']),
        Number.MAX_SAFE_INTEGER,
        plainStyle,
      );
      process.stdout.write(`${lines.join('\n')}\ndatabase: ${result.path}\n`);
    });
}

function importCommand(): Command {
  return new Command('import')
    .description('import OSV records from a zip (an all.zip or any zip of OSV JSON), a directory or a JSON file, for air-gapped use')
    .argument('<path>', 'zip, directory or OSV JSON file')
    .option('--cache-dir <dir>', 'database directory (or BULWARK_CACHE_DIR; default the user cache dir)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (path: string, flags: ImportFlags) => {
      const progress = progressBar(flags.progress);
      const result = await withInterruptExit(() => importDb({ dbDir: resolveDbDir(flags.cacheDir), path, onProgress: progress.update })).finally(progress.stop);
      const lines = formatTable(
        [{ header: 'ecosystem' }, { header: 'records', align: 'right' }, { header: 'withdrawn', align: 'right' }],
        result.sources.map((s) => [s.ecosystem, String(s.records), String(s.withdrawn)]),
        Number.MAX_SAFE_INTEGER,
        plainStyle,
      );
      const skipped = result.skipped > 0 ? ` (${result.skipped} naming no affected package skipped)` : '';
      process.stdout.write(`${lines.join('\n')}\nimported ${result.documents} records${skipped} into ${result.path}\n`);
    });
}

function statusCommand(): Command {
  return new Command('status')
    .description('show the database: schema version, file, size and per source its records, age and origin')
    .option('--cache-dir <dir>', 'database directory (or BULWARK_CACHE_DIR; default the user cache dir)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--max-age <duration>', 'age after which a source is stale', '24h')
    .action((flags: StatusFlags) => {
      const maxAgeMs = parseDuration(flags.maxAge, '--max-age');
      const status = dbStatus(resolveDbDir(flags.cacheDir), maxAgeMs);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ ...status, maxAgeMs }, null, 2)}\n` : statusTable(status, flags.maxAge));
    });
}

function statusTable(status: DbStatus, maxAge: string): string {
  if (!status.exists) {
    return `no vulnerability database at ${status.path}\nget one with \`bulwark db update --ecosystems Debian,npm\` or \`bulwark db import PATH\`\n`;
  }
  const header = [
    `database  ${status.path}`,
    `schema    ${status.schemaVersion ?? '?'}`,
    `size      ${humanSize(status.sizeBytes ?? 0)}`,
    `status    ${status.stale ? `STALE (a source is older than ${maxAge}; run \`bulwark db update\`)` : `fresh (every source younger than ${maxAge})`}`,
  ];
  const table = formatTable(
    [
      { header: 'ecosystem' },
      { header: 'records', align: 'right' },
      { header: 'withdrawn', align: 'right' },
      { header: 'fetched at' },
      { header: 'age' },
      { header: 'stale' },
      { header: 'origin' },
    ],
    status.sources.map((s) => [s.ecosystem, String(s.records), String(s.withdrawn), s.fetchedAt, formatAge(s.ageMs), s.stale ? 'STALE' : '', s.origin]),
    Number.MAX_SAFE_INTEGER,
    plainStyle,
  );
  const body = status.sources.length > 0 ? table.join('\n') : '(no sources)';
  return `${header.join('\n')}\n\n${body}\n`;
}

/**
 * Ctrl-C ends the process through process.exit, so the writer's exit handlers remove the temporary
 * database, downloaded zips and the lock; the previous database is never touched.
 */
async function withInterruptExit<T>(work: () => Promise<T>): Promise<T> {
  const onInt = (): never => process.exit(130);
  const onTerm = (): never => process.exit(143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    return await work();
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}

const megabytes = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** One bar per phase (download of an ecosystem, then import), on stderr and only on a terminal. */
function progressBar(enabled: boolean): { update: ProgressListener; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  let current = '';
  const start = (key: string, format: string, total: number, payload: Record<string, string>): SingleBar => {
    if (bar && current === key) return bar;
    bar?.stop();
    current = key;
    bar = new SingleBar({ stream: process.stderr, format, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
    bar.start(Math.max(total, 1), 0, payload);
    return bar;
  };
  const update = (p: DbProgress): void => {
    if (p.phase === 'download') {
      const total = p.totalBytes ?? 0;
      const b = start(`download ${p.ecosystem}`, 'downloading {ecosystem} [{bar}] {percentage}% {done} of {size}', total, {
        ecosystem: p.ecosystem,
        done: megabytes(0),
        size: total > 0 ? megabytes(total) : '?',
      });
      b.update(total > 0 ? p.bytes : 0, { done: megabytes(p.bytes) });
    } else if (p.phase === 'import') {
      const what = p.ecosystem ?? 'records';
      const b = start(`import ${what}`, 'importing {what} [{bar}] {percentage}% {value}/{total}', p.totalDocuments ?? 0, { what });
      b.update(p.documents);
    } else {
      bar?.stop();
      bar = undefined;
      current = '';
    }
  };
  return { update, stop: () => bar?.stop() };
}

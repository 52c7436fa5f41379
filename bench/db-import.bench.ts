/**
 * Vulnerability database benchmark: `bulwark db import` of a generated 300k-record OSV zip
 * (test/support/osv-generate.ts), against the physical floor measured in the same run (read every
 * entry of the same zip and JSON.parse it, no validation, no database), then 2,000 lookups in the
 * resulting database. Prints records/s, database size, peak RSS, and the lookup time; exit 1 if
 * 2,000 lookups take 200 ms or more (median of BENCH_RUNS, each on a freshly opened database), 2 if
 * the bench could not run.
 *
 * The import runs as users run it: the built CLI (`npm run build` first) under GNU time, median of
 * BENCH_RUNS (default 3) runs after one warm-up, each into an empty --cache-dir. The floor runs in
 * this process with the importer's own zip reader (src/vulndb/zip-documents.ts), so the difference
 * is exactly validation and storage; `unzip -p` (C, inflate only) is printed for context.
 *
 * Run: npm run build && node --import tsx bench/db-import.bench.ts
 * (BENCH_DB_RECORDS to change the size; the zip is cached in BULWARK_BENCH_CACHE, default /var/cache/bulwark-bench)
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IMPORT_LIMITS } from '../src/vulndb/import-limits.js';
import { packageNameKey } from '../src/vulndb/names.js';
import { dbFilePath } from '../src/vulndb/paths.js';
import { VulnDb } from '../src/vulndb/vulndb.js';
import { openOsvZip } from '../src/vulndb/zip-documents.js';
import { generateOsvRecords, lookupSample } from '../test/support/osv-generate.js';
import { writeOsvZipStream } from '../test/support/osv-zip.js';
import { CommandError, median, requireGnuTime, timed, type RunResult } from './support/run.js';
import { megabytes, renderTable, seconds } from './support/table.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist/cli/main.js');
const CACHE = process.env['BULWARK_BENCH_CACHE'] ?? '/var/cache/bulwark-bench';
const RECORDS = Number(process.env['BENCH_DB_RECORDS'] ?? 300_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const LOOKUPS = 2000;
const LOOKUP_TARGET_MS = 200;

/** The generated zip, cached by record count and the generator's source (any change regenerates it). */
async function benchZip(): Promise<{ path: string; jsonBytes: number }> {
  const recipe = createHash('sha256');
  for (const f of ['test/support/osv-generate.ts', 'test/support/osv-zip.ts']) recipe.update(await readFile(join(REPO, f)));
  const path = join(CACHE, `osv-generated-${RECORDS}-${recipe.digest('hex').slice(0, 12)}.zip`);
  const sizeFile = `${path}.json-bytes`;
  if (existsSync(path) && existsSync(sizeFile)) return { path, jsonBytes: Number(await readFile(sizeFile, 'utf8')) };
  await mkdir(CACHE, { recursive: true });
  process.stderr.write(`generating ${RECORDS} OSV records into ${path} ...\n`);
  const { bytes } = await writeOsvZipStream(`${path}.part`, generateOsvRecords(RECORDS));
  await rename(`${path}.part`, path);
  await writeFile(sizeFile, String(bytes));
  return { path, jsonBytes: bytes };
}

/** The floor: every entry read (same reader, same limits) and JSON.parse'd, nothing else. */
async function floorOnce(zipPath: string): Promise<{ ms: number; documents: number }> {
  const started = performance.now();
  const zip = await openOsvZip(zipPath, DEFAULT_IMPORT_LIMITS);
  let documents = 0;
  try {
    for await (const doc of zip.documents()) {
      JSON.parse(doc.bytes.toString('utf8'));
      documents++;
    }
  } finally {
    zip.close();
  }
  return { ms: performance.now() - started, documents };
}

async function importOnce(zipPath: string, cacheDir: string, fresh: boolean): Promise<RunResult> {
  if (fresh) await rm(cacheDir, { recursive: true, force: true });
  return timed(process.execPath, [CLI, 'db', 'import', zipPath, '--cache-dir', cacheDir, '--no-progress'], { cwd: REPO });
}

interface LookupRun {
  openMs: number;
  lookupMs: number;
  hits: number;
  candidates: number;
  records: number;
}

/**
 * Opens the database as a scan would and looks up 2,000 packages (about half have advisories),
 * reading every candidate's affected entry (what a matcher needs for its version verdict). With
 * `materialize`, every candidate's record is read too (the upper bound: a matcher that reads the
 * record of every candidate, not only of those whose ranges hold the installed version).
 */
function lookupsOnce(cacheDir: string, materialize: boolean): LookupRun {
  const sample = lookupSample(LOOKUPS).map((p) => ({ ecosystem: p.ecosystem, key: packageNameKey(p.ecosystem, p.name) }));
  const t0 = performance.now();
  const db = VulnDb.open(cacheDir);
  if (!db) throw new CommandError(`no database in ${cacheDir}`);
  const t1 = performance.now();
  let hits = 0;
  let candidates = 0;
  const records = new Set<string>();
  try {
    for (const { ecosystem, key } of sample) {
      const found = db.lookup(ecosystem, key);
      if (found.length > 0) hits++;
      for (const candidate of found) {
        candidates++; // its affected entry is already parsed by lookup()
        if (materialize) records.add(candidate.record.id);
      }
    }
  } finally {
    db.close();
  }
  return { openMs: t1 - t0, lookupMs: performance.now() - t1, hits, candidates, records: records.size };
}

async function main(): Promise<number> {
  requireGnuTime();
  if (!existsSync(CLI)) throw new CommandError(`${CLI} is missing: run npm run build first`);
  const zip = await benchZip();
  const zipBytes = (await stat(zip.path)).size;
  await readFile(zip.path); // page cache warm for every contender

  const scratch = await mkdtemp(join(tmpdir(), 'bulwark-db-bench-'));
  try {
    const cacheDir = join(scratch, 'db');
    await floorOnce(zip.path);
    const floors = [];
    for (let i = 0; i < RUNS; i++) floors.push(await floorOnce(zip.path));
    const documents = floors[0]?.documents ?? 0;
    const unzipRuns: RunResult[] = [];
    if (existsSync('/usr/bin/unzip')) for (let i = 0; i < RUNS; i++) unzipRuns.push(await timed('/usr/bin/unzip', ['-p', zip.path]));

    await importOnce(zip.path, cacheDir, true); // warm-up
    const imports: RunResult[] = [];
    for (let i = 0; i < RUNS; i++) imports.push(await importOnce(zip.path, cacheDir, true));
    const reimport = await importOnce(zip.path, cacheDir, false);
    const dbBytes = (await stat(dbFilePath(cacheDir))).size;
    const db = VulnDb.open(cacheDir);
    const sources = db?.sources() ?? [];
    db?.close();
    const stored = sources.reduce((n, s) => n + s.records, 0);
    const withdrawn = sources.reduce((n, s) => n + s.withdrawn, 0);

    const lookups = Array.from({ length: RUNS }, () => lookupsOnce(cacheDir, false));
    const lookupMs = median(lookups.map((l) => l.lookupMs));
    const worstLookupMs = Math.max(...lookups.map((l) => l.lookupMs));
    const full = Array.from({ length: RUNS }, () => lookupsOnce(cacheDir, true));

    const importMs = median(imports.map((r) => r.wallMs));
    const floorMs = median(floors.map((f) => f.ms));
    const rate = (ms: number): string => `${Math.round(documents / (ms / 1000)).toLocaleString('en-US')} records/s`;
    const met = lookupMs < LOOKUP_TARGET_MS;
    const rows = [
      ['db import (CLI)', seconds(importMs), rate(importMs), `peak RSS ${megabytes(Math.max(...imports.map((r) => r.maxRssKb)) * 1024)}`],
      ['floor: read + JSON.parse', seconds(floorMs), rate(floorMs), `import / floor = ${(importMs / floorMs).toFixed(2)}x`],
      ...(unzipRuns.length > 0 ? [['context: unzip -p (C inflate only)', seconds(median(unzipRuns.map((r) => r.wallMs))), '', '']] : []),
      ['context: re-import over that db', seconds(reimport.wallMs), rate(reimport.wallMs), 'copy + replace every source'],
      [
        `${LOOKUPS} lookups after open`,
        `${lookupMs.toFixed(1)} ms`,
        `worst ${worstLookupMs.toFixed(1)} ms, open ${median(lookups.map((l) => l.openMs)).toFixed(1)} ms`,
        `${met ? 'PASS' : 'FAIL'} (< ${LOOKUP_TARGET_MS} ms); ${lookups[0]?.hits} packages with advisories, ${lookups[0]?.candidates} candidates`,
      ],
      [
        `context: same + every record read`,
        `${median(full.map((l) => l.lookupMs)).toFixed(1)} ms`,
        `worst ${Math.max(...full.map((l) => l.lookupMs)).toFixed(1)} ms`,
        `${full[0]?.records} distinct records parsed`,
      ],
    ];
    process.stdout.write(`${renderTable(['measure', 'wall (median)', 'rate', 'notes'], rows)}\n`);
    process.stdout.write(
      `input: ${documents.toLocaleString('en-US')} records, ${megabytes(zip.jsonBytes)} of JSON in a ${megabytes(zipBytes)} zip; ` +
        `database: ${megabytes(dbBytes)}, ${stored.toLocaleString('en-US')} records stored (${withdrawn} withdrawn) in ${sources.length} sources\n`,
    );
    return met ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);

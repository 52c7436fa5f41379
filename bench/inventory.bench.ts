/**
 * Inventory benchmark: prints figures and ratios against three targets, exits 1 if one is missed.
 *
 *   1. docker-archive (~350 MB fixture): bulwark wall time <= 1/5 of `cdxgen -t docker` on the same tar.
 *   2. bulwark <= 1.5x the physical floor (decompress and read every layer once):
 *      a. docker-archive:   `tar -xOf archive.tar > /dev/null`
 *      b. gzip OCI layout:  `for each layer blob: gzip -dc blob | tar -xOf - > /dev/null`
 *   3. peak RSS < 250 MB on a ~1 GB docker-archive.
 *
 * Wall times are the median of BENCH_RUNS (default 3) runs after one discarded warm-up run, with
 * the inputs read once beforehand so the page cache is warm for every contender; cdxgen gets
 * BENCH_CDXGEN_RUNS (default 3) runs and no warm-up. Peak RSS is GNU time's %M (max over runs).
 *
 * Run: npm run build && npm run bench   (needs a Docker engine: bash scripts/start-dockerd.sh)
 * Exit status: 0 all targets met, 1 a target missed, 2 the bench itself could not run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianFixtures } from '../test/support/images.js';
import { CDXGEN_VERSION, ensureCdxgen, runCdxgen, type CdxgenBom } from './support/cdxgen.js';
import { ensureBigImage, ensureGzipOciLayout } from './support/images.js';
import { median, requireGnuTime, run, series, timed, type RunResult, type Series } from './support/run.js';
import { megabytes, renderTable, seconds } from './support/table.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const CACHE = process.env['BULWARK_BENCH_CACHE'] ?? '/var/cache/bulwark-bench';
const RUNS = positiveInt('BENCH_RUNS', 3);
const CDXGEN_RUNS = positiveInt('BENCH_CDXGEN_RUNS', 3);

const TARGET_VS_CDXGEN = 1 / 5;
const TARGET_VS_FLOOR = 1.5;
const TARGET_RSS_BYTES = 250e6;

/** sha256 of a whole file in 4 MiB reads: the cost of verifying every layer digest, alone. */
const SHA256_SCRIPT = `
import { openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
const fd = openSync(process.argv[1], 'r');
const buf = Buffer.allocUnsafe(4 << 20);
const hash = createHash('sha256');
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
hash.digest();
`;

interface Row {
  target: string;
  bulwark: string;
  reference: string;
  ratio: string;
  goal: string;
  pass: boolean;
}

async function main(): Promise<number> {
  requireGnuTime();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  warnIfStale();
  await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 }).catch(() => {
    throw new Error('no Docker engine answers: bash scripts/start-dockerd.sh');
  });

  log('preparing inputs (cached after the first run) ...');
  const fx = await debianFixtures();
  const oci = await ensureGzipOciLayout(CACHE, fx.ociDir, fx.ociTag, fx.dockerArchive, fx.recipeHash);
  const big = await ensureBigImage(CACHE, fx.baseImage);
  const cdxgen = await ensureCdxgen(CACHE);
  const scratch = await mkdtemp(join(tmpdir(), 'bulwark-bench-'));

  try {
    log('warming the page cache ...');
    await warm([fx.dockerArchive, ...oci.layerBlobs, big.archive]);

    const bulwark = (input: string): Promise<RunResult> =>
      timed(process.execPath, [CLI, 'image', '--input', input, '-f', 'json', '-o', join(scratch, 'out.json'), '--no-progress'], { timeoutMs: 600_000 });

    log(`bulwark on the docker-archive x${RUNS} ...`);
    const bwArchive = await series(RUNS, 1, () => bulwark(fx.dockerArchive));
    const archivePackages = await packagesIn(join(scratch, 'out.json'));
    log(`floor: tar -xOf docker-archive x${RUNS} ...`);
    const floorArchive = await series(RUNS, 1, () => timed('tar', ['-xOf', fx.dockerArchive]));

    // Context for target 2a (not targets): what startup and digest verification cost on their own.
    log(`context: bulwark --help, and sha256 of the docker-archive in node x${RUNS} ...`);
    const startup = await series(RUNS, 1, () => timed(process.execPath, [CLI, '--help']));
    const sha = await series(RUNS, 1, () => timed(process.execPath, ['--input-type=module', '-e', SHA256_SCRIPT, fx.dockerArchive]));

    log(`bulwark on the gzip OCI layout x${RUNS} ...`);
    const bwOci = await series(RUNS, 1, () => bulwark(oci.dir));
    const ociPackages = await packagesIn(join(scratch, 'out.json'));
    log(`floor: gzip -dc | tar -xOf per layer x${RUNS} ...`);
    const floorScript = 'for b in "$@"; do gzip -dc "$b" | tar -xOf - || exit 1; done';
    const floorOci = await series(RUNS, 1, () => timed('sh', ['-c', floorScript, 'sh', ...oci.layerBlobs]));

    log(`cdxgen ${CDXGEN_VERSION} -t docker on the docker-archive x${CDXGEN_RUNS} (slow) ...`);
    const cdxRuns: RunResult[] = [];
    let bom: CdxgenBom | undefined;
    for (let i = 0; i < CDXGEN_RUNS; i++) {
      const r = await runCdxgen(cdxgen, fx.dockerArchive, scratch);
      cdxRuns.push(r.result);
      bom = r.bom;
    }
    const cdxMedian = median(cdxRuns.map((r) => r.wallMs));
    const missedByCdxgen = archivePackages.filter((p) => !bom?.debs.has(p));

    log(`bulwark on the ~1 GB docker-archive x${RUNS} ...`);
    const bwBig = await series(RUNS, 0, () => bulwark(big.archive));
    const bigPackages = await packagesIn(join(scratch, 'out.json'));

    // ---------------------------------------------------------------------------------------
    const archiveBytes = (await stat(fx.dockerArchive)).size;
    const ociBytes = await sumSizes(oci.layerBlobs);
    const cdxRatio = bwArchive.medianMs / cdxMedian;
    const cdxHonest = missedByCdxgen.length === 0 && archivePackages.length > 0;
    const floorArchiveRatio = bwArchive.medianMs / floorArchive.medianMs;
    const floorOciRatio = bwOci.medianMs / floorOci.medianMs;
    const rssBytes = bwBig.maxRssKb * 1024;

    const rows: Row[] = [
      {
        target: `1. vs cdxgen, docker-archive (${megabytes(archiveBytes)})`,
        bulwark: seconds(bwArchive.medianMs),
        reference: `cdxgen ${seconds(cdxMedian)}`,
        ratio: cdxRatio.toFixed(3),
        goal: `<= ${TARGET_VS_CDXGEN.toFixed(3)}`,
        pass: cdxHonest && cdxRatio <= TARGET_VS_CDXGEN,
      },
      {
        target: `2a. vs floor, docker-archive (${megabytes(archiveBytes)})`,
        bulwark: seconds(bwArchive.medianMs),
        reference: `tar -xOf ${seconds(floorArchive.medianMs)}`,
        ratio: `${floorArchiveRatio.toFixed(2)}x`,
        goal: `<= ${TARGET_VS_FLOOR.toFixed(2)}x`,
        pass: floorArchiveRatio <= TARGET_VS_FLOOR,
      },
      {
        target: `2b. vs floor, OCI gzip layers (${megabytes(ociBytes)})`,
        bulwark: seconds(bwOci.medianMs),
        reference: `gzip -dc|tar ${seconds(floorOci.medianMs)}`,
        ratio: `${floorOciRatio.toFixed(2)}x`,
        goal: `<= ${TARGET_VS_FLOOR.toFixed(2)}x`,
        pass: floorOciRatio <= TARGET_VS_FLOOR,
      },
      {
        target: `3. peak RSS, docker-archive (${megabytes(big.bytes)})`,
        bulwark: megabytes(rssBytes),
        reference: `limit ${megabytes(TARGET_RSS_BYTES)}`,
        ratio: (rssBytes / TARGET_RSS_BYTES).toFixed(2),
        goal: '< 1.00',
        pass: rssBytes < TARGET_RSS_BYTES,
      },
    ];

    const out: string[] = [];
    out.push('');
    out.push(`Bulwark inventory bench — ${machine()}`);
    out.push('');
    out.push(renderTable(['target', 'bulwark', 'reference', 'ratio', 'goal', 'result'], rows.map((r) => [r.target, r.bulwark, r.reference, r.ratio, r.goal, r.pass ? 'PASS' : 'FAIL'])));
    out.push('');
    out.push('Details (wall times of every measured run; warm page cache; peak RSS = GNU time %M):');
    out.push(detail('bulwark, docker-archive', bwArchive, `${archivePackages.length} packages`));
    out.push(detail('tar -xOf docker-archive', floorArchive));
    out.push(detail('  context: bulwark --help (start-up)', startup));
    out.push(detail('  context: node sha256 of the archive', sha));
    out.push(detail('bulwark, OCI gzip layout', bwOci, `${ociPackages.length} packages`));
    out.push(detail(`gzip -dc | tar -xOf (${oci.layerBlobs.length} blobs)`, floorOci));
    out.push(
      detail(
        `cdxgen ${CDXGEN_VERSION} -t docker`,
        { runs: cdxRuns, medianMs: cdxMedian, maxRssKb: Math.max(...cdxRuns.map((r) => r.maxRssKb)) },
        `${bom?.components ?? 0} components, ${bom?.debs.size ?? 0} pkg:deb (binary + source)`,
      ),
    );
    out.push(detail('bulwark, ~1 GB docker-archive', bwBig, `${bigPackages.length} packages`));
    out.push('');
    out.push(
      cdxHonest
        ? `cdxgen found all ${archivePackages.length} of bulwark's packages (name@version), so target 1 compares like with like.`
        : `cdxgen MISSED ${missedByCdxgen.length} of bulwark's ${archivePackages.length} packages (${missedByCdxgen.slice(0, 8).join(', ')}${missedByCdxgen.length > 8 ? ', ...' : ''}): target 1 counts as FAIL (comparison not honest).`,
    );
    if (ociPackages.length !== archivePackages.length) {
      out.push(`WARNING: bulwark found ${archivePackages.length} packages in the docker-archive but ${ociPackages.length} in the OCI layout of the same image.`);
    }
    out.push(`Inputs: ${fx.dockerArchive}\n        ${oci.dir}\n        ${big.archive}`);
    const failed = rows.filter((r) => !r.pass).length;
    out.push('');
    out.push(failed === 0 ? 'ALL TARGETS MET' : `${failed} of ${rows.length} TARGETS MISSED`);
    process.stdout.write(`${out.join('\n')}\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function detail(name: string, s: Series, extra = ''): string {
  const runs = s.runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(' / ');
  return `  ${name.padEnd(40)} median ${seconds(s.medianMs).padStart(8)}  runs ${runs} s  peak RSS ${megabytes(s.maxRssKb * 1024)}${extra ? `  ${extra}` : ''}`;
}

/** `name@version` of every package in a bulwark JSON report. */
async function packagesIn(reportPath: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(reportPath, 'utf8')) as { packages?: Array<{ name: string; version: string }> };
  const packages = (doc.packages ?? []).map((p) => `${p.name}@${p.version}`);
  if (packages.length === 0) throw new Error(`${reportPath}: bulwark reported no packages`);
  return packages;
}

async function sumSizes(paths: string[]): Promise<number> {
  let total = 0;
  for (const p of paths) total += (await stat(p)).size;
  return total;
}

/** Reads every input once so no contender pays for disk reads. */
async function warm(paths: string[]): Promise<void> {
  await run('sh', ['-c', 'cat "$@" > /dev/null', 'sh', ...paths], { timeoutMs: 600_000 });
}

function warnIfStale(): void {
  const built = statSync(CLI).mtimeMs;
  const newest = newestMtime(join(REPO, 'src'));
  if (newest > built) log(`WARNING: src/ is newer than ${CLI}; run \`npm run build\` to bench the current code`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else newest = Math.max(newest, info.mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

function machine(): string {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, commit ${commit}, ${RUNS} runs (median), load average now ${load}`;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

/**
 * npm benchmark: bulwark (every detector) vs `cdxgen -t docker` on the npm fixture image
 * (test/fixtures/npm-app: Debian's nodejs/npm with its node-* packages plus an app tree installed
 * by `npm ci`). Prints wall times (median of BENCH_RUNS, default 3, after one warm-up; cdxgen gets
 * BENCH_CDXGEN_RUNS, default 1) and the npm package counts each tool reports. Exit 1 if bulwark
 * takes more than 1/5 of cdxgen's time, 2 if the bench could not run.
 *
 * Bulwark runs as users run it: the built CLI (`npm run build` first), every detector on, JSON out;
 * its npm packages are counted. cdxgen runs with FETCH_LICENSE=false NON_STRICT_TAR_EXTRACT=true (see support/cdxgen.ts).
 *
 * Run: npm run build && node --import tsx bench/npm.bench.ts   (needs a Docker engine: bash scripts/start-dockerd.sh)
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedImage } from '../test/support/images.js';
import { CDXGEN_VERSION, ensureCdxgen } from './support/cdxgen.js';
import { median, requireGnuTime, timed, type RunResult } from './support/run.js';
import { renderTable, seconds } from './support/table.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CACHE = process.env['BULWARK_BENCH_CACHE'] ?? '/var/cache/bulwark-bench';
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CDXGEN_RUNS = Number(process.env['BENCH_CDXGEN_RUNS'] ?? 1);
const TARGET = 1 / 5;

const CLI = join(REPO, 'dist/cli/main.js');

async function bulwarkOnce(archive: string, scratch: string): Promise<{ run: RunResult; purls: string[] }> {
  const out = join(scratch, 'bulwark.json');
  const run = await timed(process.execPath, [CLI, 'image', '--input', archive, '--format', 'json', '--output', out], { cwd: REPO });
  const report = JSON.parse(await readFile(out, 'utf8')) as { packages: Array<{ purl: string }> };
  return { run, purls: report.packages.flatMap((p) => (p.purl.startsWith('pkg:npm/') ? [p.purl] : [])) };
}

async function cdxgenOnce(bin: string, archive: string, scratch: string): Promise<{ run: RunResult; purls: string[] }> {
  const dir = await mkdtemp(join(scratch, 'cdxgen-'));
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const out = join(dir, 'bom.json');
  try {
    const run = await timed(bin, ['-t', 'docker', archive, '-o', out], {
      cwd: dir,
      timeoutMs: 30 * 60_000,
      env: { FETCH_LICENSE: 'false', NON_STRICT_TAR_EXTRACT: 'true', CDXGEN_TEMP_DIR: tmp, TMPDIR: tmp },
    });
    const bom = JSON.parse(await readFile(out, 'utf8')) as { components?: Array<{ purl?: string }> };
    return { run, purls: (bom.components ?? []).flatMap((c) => (c.purl?.startsWith('pkg:npm/') ? [c.purl] : [])) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** name@version without qualifiers, decoded, for comparing the two tools' purls. */
const key = (purl: string) => decodeURIComponent(purl.replace(/^pkg:npm\//, '').replace(/[?#].*$/, ''));

async function main(): Promise<number> {
  requireGnuTime();
  const fx = await cachedImage('npm-app', fileURLToPath(new URL('../test/fixtures/npm-app/', import.meta.url)));
  const cdxgen = await ensureCdxgen(CACHE);
  const scratch = await mkdtemp(join(tmpdir(), 'bulwark-npm-bench-'));
  try {
    await bulwarkOnce(fx.dockerArchive, scratch); // warm-up: page cache, tsx transform cache
    const ours: RunResult[] = [];
    let purls: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const once = await bulwarkOnce(fx.dockerArchive, scratch);
      ours.push(once.run);
      purls = once.purls;
    }
    const theirs: RunResult[] = [];
    let theirPurls: string[] = [];
    for (let i = 0; i < CDXGEN_RUNS; i++) {
      const once = await cdxgenOnce(cdxgen.bin, fx.dockerArchive, scratch);
      theirs.push(once.run);
      theirPurls = once.purls;
    }
    const a = median(ours.map((r) => r.wallMs));
    const b = median(theirs.map((r) => r.wallMs));
    const mine = new Set(purls.map(key));
    const cdx = new Set(theirPurls.map(key));
    const both = [...mine].filter((k) => cdx.has(k)).length;
    process.stdout.write(
      `${renderTable(
        ['tool', 'wall (median)', 'npm packages (rows)', 'distinct name@version'],
        [
          ['bulwark image (CLI)', seconds(a), String(purls.length), String(mine.size)],
          [`cdxgen ${CDXGEN_VERSION}`, seconds(b), String(theirPurls.length), String(cdx.size)],
        ],
      )}\n`,
    );
    process.stdout.write(`image ${fx.image}; name@version in both: ${both}; only bulwark: ${mine.size - both}; only cdxgen: ${cdx.size - both}\n`);
    const ratio = a / b;
    process.stdout.write(`wall-time ratio bulwark/cdxgen: ${ratio.toFixed(3)} (target <= ${TARGET.toFixed(2)}) ${ratio <= TARGET ? 'MET' : 'MISSED'}\n`);
    return ratio <= TARGET ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);

/**
 * Secret-scanning throughput: the secret inspector run over every file of every layer of a ~350 MB
 * image (decompressed) of mixed content, against two floors of reading its decompressed bytes once.
 *
 *   floor (a)   docker-archive (uncompressed layer tars): `tar -xOf LAYER.tar > /dev/null` per layer
 *   floor (b)   the same image as an OCI layout with gzip layers (as images are stored and pulled):
 *               `gzip -dc LAYER | tar -xOf - > /dev/null` per layer
 *               (process start subtracted from both: the same loop over an empty tar)
 *   secrets     buildView(source, { wants: () => false, inspectors: secretInspectors(...) }) in-process,
 *               then collectSecretFindings, on each input; best of BENCH_RUNS (default 3)
 *   target      secrets <= 3x the floor, for each input; the exit status follows (b)
 *
 * Context lines (not targets): sha256 of the layer bytes in Node (the walker verifies every digest),
 * the same walks with no inspector (the walker's own cost), and the CLI
 * (`bulwark image --input X --scanners secret --format json --offline`) on each input when the build
 * has that flag.
 *
 * The image: the test fixtures' Debian base, then the repository's node_modules (JavaScript and
 * TypeScript source trees, JSON, C sources, native binaries), then seeded generated logs, JSON
 * documents and configuration files (a few holding fake secrets). Built with `docker build` and
 * cached as `$BULWARK_BENCH_CACHE/secrets-<sha256 of recipe and context>/docker-archive.tar`, with the
 * OCI layout (`skopeo copy docker-archive:... oci:...`) beside it as `oci/`.
 *
 * Run: npx tsx bench/secrets.bench.ts        (needs a Docker engine: bash scripts/start-dockerd.sh; skopeo)
 * Exit status: 0 target (b) met, 1 missed, 2 the bench could not run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildView } from '../src/image/walker.js';
import { collectSecretFindings, secretInspectors } from '../src/scan/secret-scan.js';
import { openInput } from '../src/sources/archive/open-input.js';
import { debianFixtures } from '../test/support/images.js';
import { saveImage } from './support/images.js';
import { seededRandom as prng } from '../test/support/osv-generate.js';
import { ALNUM, UPPER_DIGITS, fake } from '../test/secrets/fake.js';
import { run } from './support/run.js';
import { renderTable, seconds } from './support/table.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const CACHE = process.env['BULWARK_BENCH_CACHE'] ?? '/var/cache/bulwark-bench';
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3) || 3);
const TARGET_VS_FLOOR = 3;
const MINUTE = 60_000;
const TARGET = 'bench/secrets';

const DOCKERFILE = `ARG BASE
FROM \${BASE}
COPY node_modules/ /srv/app/node_modules/
COPY generated/ /srv/data/
RUN rm -rf /srv/data/logs/rotated
`;

// ---------------------------------------------------------------------------------------------
// Generated content: seeded, so the same recipe gives the same bytes.


const PATHS = ['/api/v1/users', '/api/v1/orders', '/healthz', '/static/app.js', '/login', '/api/v1/search?q=shoes', '/metrics', '/'];
const AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0', 'kube-probe/1.29', 'python-requests/2.31'];
const WORDS = 'user order cache request session token retry upstream timeout connection pool worker queue password config'.split(' ');

function accessLog(rand: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const ip = `10.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
    const path = PATHS[Math.floor(rand() * PATHS.length)];
    const status = rand() < 0.9 ? 200 : rand() < 0.5 ? 404 : 500;
    out.push(`${ip} - - [01/Jan/2024:00:${String(i % 60).padStart(2, '0')}:00 +0000] "GET ${path} HTTP/1.1" ${status} ${Math.floor(rand() * 50000)} "-" "${AGENTS[Math.floor(rand() * AGENTS.length)]}"`);
  }
  return `${out.join('\n')}\n`;
}

function appLog(rand: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const words = Array.from({ length: 6 + Math.floor(rand() * 8) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    out.push(`2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z ${rand() < 0.95 ? 'INFO' : 'WARN'} [worker-${i % 8}] ${words} id=${Math.floor(rand() * 1e9)}`);
  }
  return `${out.join('\n')}\n`;
}

function jsonDocument(rand: () => number, items: number): string {
  const rows = Array.from({ length: items }, (_, i) => ({
    id: i,
    name: `item-${Math.floor(rand() * 1e6)}`,
    tags: Array.from({ length: 3 }, () => WORDS[Math.floor(rand() * WORDS.length)]),
    price: Math.round(rand() * 10000) / 100,
    checksum: createHash('sha1').update(String(rand())).digest('hex'),
    nested: { created: '2024-01-01T00:00:00Z', enabled: rand() < 0.5, ratio: rand() },
  }));
  return JSON.stringify({ version: 3, items: rows }, null, 2);
}

function configFile(rand: () => number, i: number): string {
  const lines = [`# service ${i}`, `[server]`, `listen = 0.0.0.0:${8000 + i}`, `workers = ${1 + (i % 16)}`, `[database]`, `host = db-${i}.internal`, `user = svc${i}`];
  // Every 25th config holds a secret (fake, generated): the scanner has something to find.
  if (i % 25 === 0) lines.push(`password = ${fake(`bench-pw-${i}`, ALNUM, 20)}`, `aws_access_key_id = AKIA${fake(`bench-akia-${i}`, UPPER_DIGITS, 16)}`);
  else lines.push('password = ${DB_PASSWORD}');
  lines.push(`[cache]`, `ttl = ${Math.floor(rand() * 3600)}`);
  return `${lines.join('\n')}\n`;
}

/** ~20 MB of logs, JSON and configuration files, plus rotated logs a later layer deletes. */
async function writeGenerated(dir: string): Promise<void> {
  const rand = prng(20240101);
  await mkdir(join(dir, 'logs', 'rotated'), { recursive: true });
  await mkdir(join(dir, 'json'), { recursive: true });
  await mkdir(join(dir, 'etc'), { recursive: true });
  for (let i = 0; i < 6; i++) await writeFile(join(dir, 'logs', `access-${i}.log`), accessLog(rand, 12_000));
  for (let i = 0; i < 6; i++) await writeFile(join(dir, 'logs', `app-${i}.log`), appLog(rand, 12_000));
  for (let i = 0; i < 4; i++) await writeFile(join(dir, 'logs', 'rotated', `app-${i}.log.1`), appLog(rand, 8_000));
  for (let i = 0; i < 40; i++) await writeFile(join(dir, 'json', `dump-${i}.json`), jsonDocument(rand, 600));
  for (let i = 0; i < 400; i++) await writeFile(join(dir, 'etc', `service-${i}.conf`), configFile(rand, i));
}

// ---------------------------------------------------------------------------------------------
// The image, cached by a hash of the recipe and of the build context's bytes

interface BenchImage {
  archive: string;
  /** The same image as an OCI layout directory with gzip layers. */
  oci: string;
  tag: string;
}

/** `skopeo copy` to an OCI layout beside the archive (gzip layers), once. */
async function ensureOciLayout(archive: string): Promise<string> {
  const oci = join(archive, '..', 'oci');
  if (existsSync(join(oci, 'index.json'))) return oci;
  const tmp = `${oci}.tmp-${process.pid}`;
  try {
    log('copying the image to an OCI layout (skopeo) ...');
    await run('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, `oci:${tmp}:latest`], { timeoutMs: 20 * MINUTE });
    await rename(tmp, oci);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return oci;
}

async function ensureImage(baseImage: string): Promise<BenchImage> {
  const scratch = await mkdtemp(join(CACHE, 'secrets-context-'));
  try {
    await writeGenerated(join(scratch, 'generated'));
    await writeFile(join(scratch, 'Dockerfile'), DOCKERFILE);
    // A deterministic tar of the context: its hash is the recipe's, so a changed node_modules rebuilds.
    const contextTar = join(scratch, 'context.tar');
    await run('tar', [
      '-cf', contextTar, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--exclude=.cache', '--exclude=.vite',
      '-C', scratch, 'Dockerfile', 'generated', '-C', REPO, 'node_modules',
    ], { timeoutMs: 10 * MINUTE });
    const hash = createHash('sha256').update(`v1\nbase ${baseImage}\n`);
    for await (const chunk of createReadStream(contextTar)) hash.update(chunk as Buffer);
    const digest = hash.digest('hex');
    const dir = join(CACHE, `secrets-${digest}`);
    const archive = join(dir, 'docker-archive.tar');
    const tag = `bulwark-bench/secrets:${digest.slice(0, 8)}`;
    if (existsSync(archive)) return { archive, oci: await ensureOciLayout(archive), tag };
    await mkdir(dir, { recursive: true });
    log(`building ${tag} ...`);
    await run('sh', ['-c', `docker build --network none --build-arg BASE=${baseImage} -t ${tag} - < ${contextTar}`], {
      env: { DOCKER_BUILDKIT: '0' },
      timeoutMs: 30 * MINUTE,
    });
    await saveImage(tag, archive);
    return { archive, oci: await ensureOciLayout(archive), tag };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

async function best(runs: number, once: () => Promise<unknown>): Promise<{ ms: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await once();
    all.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: Math.min(...all), all };
}

/**
 * A shell loop reading every layer once (`read` of one layer path), process start subtracted: the same
 * loop over an empty tar of the same kind.
 */
async function floor(layers: string[], empty: string, read: (file: string) => string): Promise<{ ms: number; all: number[] }> {
  const loop = (files: string[]): string => files.map(read).join('; ');
  const startup = await best(RUNS, () => run('sh', ['-c', `{ ${loop(layers.map(() => empty))}; } > /dev/null`]));
  const full = await best(RUNS, () => run('sh', ['-c', `{ ${loop(layers)}; } > /dev/null`]));
  return { ms: Math.max(1, full.ms - startup.ms), all: full.all.map((t) => t - startup.ms) };
}

const tarRead = (f: string): string => `tar -xOf '${f}'`;
const gzipTarRead = (f: string): string => `gzip -dc '${f}' | tar -xOf -`;

/** The layer blobs of an OCI layout's only manifest, in order. */
async function ociLayers(dir: string): Promise<{ paths: string[]; storedBytes: number }> {
  const blob = (digest: string): string => join(dir, 'blobs', ...digest.split(':'));
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as { layers: Array<{ digest: string; size: number; mediaType: string }> };
  for (const l of manifest.layers) if (!l.mediaType.endsWith('+gzip')) throw new Error(`${dir}: layer ${l.digest} is ${l.mediaType}, not gzip`);
  return { paths: manifest.layers.map((l) => blob(l.digest)), storedBytes: manifest.layers.reduce((n, l) => n + l.size, 0) };
}

async function sha256Of(files: string[]): Promise<void> {
  const buf = Buffer.allocUnsafe(4 << 20);
  for (const file of files) {
    const handle = await open(file, 'r');
    const hash = createHash('sha256');
    try {
      for (let r = await handle.read(buf, 0, buf.length); r.bytesRead > 0; r = await handle.read(buf, 0, buf.length)) hash.update(buf.subarray(0, r.bytesRead));
    } finally {
      await handle.close();
    }
    hash.digest();
  }
}

function cliHasSecretScanner(): boolean {
  if (!existsSync(CLI)) return false;
  try {
    const help = execFileSync(process.execPath, [CLI, 'image', '--help'], { encoding: 'utf8' });
    // The option's text runs from `--scanners` to the next option line.
    const block = /--scanners[\s\S]*?(?=\n\s*-|$)/.exec(help)?.[0] ?? '';
    return /\bsecret\b/.test(block);
  } catch {
    return false;
  }
}

const mbps = (bytes: number, ms: number): string => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;

async function main(): Promise<number> {
  await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 }).catch(() => {
    throw new Error('no Docker engine answers: bash scripts/start-dockerd.sh');
  });
  await mkdir(CACHE, { recursive: true });
  log('preparing the image (cached after the first run) ...');
  const fx = await debianFixtures();
  const image = await ensureImage(fx.baseImage);
  const work = await mkdtemp(join(tmpdir(), 'bulwark-bench-secrets-'));
  try {
    await run('tar', ['-xf', image.archive, '-C', work]);
    const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    const layerTars = manifest[0]!.Layers.map((l) => join(work, l));
    let layerBytes = 0;
    for (const l of layerTars) layerBytes += (await stat(l)).size;
    const emptyTar = join(work, 'empty.tar');
    await run('tar', ['-cf', emptyTar, '-T', '/dev/null']);
    log('warming the page cache ...');
    await run('sh', ['-c', `cat '${image.archive}' ${layerTars.map((l) => `'${l}'`).join(' ')} > /dev/null`]);

    const oci = await ociLayers(image.oci);
    const emptyGz = join(work, 'empty.tar.gz');
    await run('sh', ['-c', `gzip -c '${emptyTar}' > '${emptyGz}'`]);
    await run('sh', ['-c', `cat ${oci.paths.map((l) => `'${l}'`).join(' ')} > /dev/null`]);

    const inputs = [
      { name: '(a) docker-archive', path: image.archive, layers: layerTars, empty: emptyTar, read: tarRead, floorText: 'tar -xOf each layer' },
      { name: '(b) OCI, gzip layers', path: image.oci, layers: oci.paths, empty: emptyGz, read: gzipTarRead, floorText: 'gzip -dc | tar -xOf - each layer' },
    ];
    const cli = cliHasSecretScanner();
    const results = [];
    let found = { findings: 0, notice: '' };
    for (const input of inputs) {
      const source = () => openInput(input.path, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
      log(`${input.name}: floor, ${input.floorText} ...`);
      const floorMs = await floor(input.layers, input.empty, input.read);
      log(`${input.name}: walk with no inspector ...`);
      const bare = await best(RUNS, async () => buildView(await source(), { wants: () => false }));
      log(`${input.name}: walk with the secret inspector ...`);
      const secrets = await best(RUNS, async () => {
        const src = await source();
        const view = await buildView(src, { wants: () => false, inspectors: secretInspectors({ target: TARGET }) });
        const { findings, notices } = collectSecretFindings(view, src.config, TARGET);
        found = { findings: findings.length, notice: notices.map((n) => n.message).join('; ') };
      });
      let cliRun: { ms: number; all: number[] } | undefined;
      if (cli) {
        log(`${input.name}: CLI ...`);
        const out = join(work, 'out.json');
        cliRun = await best(RUNS, () =>
          run(process.execPath, [CLI, 'image', '--input', input.path, '--scanners', 'secret', '--format', 'json', '--offline', '-o', out, '--no-progress'], { timeoutMs: 10 * MINUTE }),
        );
      }
      results.push({ input, floor: floorMs, bare, secrets, cli: cliRun, ratio: secrets.ms / floorMs.ms, found });
    }
    log('sha256 of the layer tars ...');
    const sha = await best(RUNS, () => sha256Of(layerTars));

    const rows: string[][] = [];
    for (const r of results) {
      const vs = (ms: number): string => `${(ms / r.floor.ms).toFixed(2)}x`;
      rows.push(
        [`${r.input.name}: floor, ${r.input.floorText}`, seconds(r.floor.ms), mbps(layerBytes, r.floor.ms), '1.00x', '', ''],
        [`${r.input.name}: secret scan (library)`, seconds(r.secrets.ms), mbps(layerBytes, r.secrets.ms), vs(r.secrets.ms), `<= ${TARGET_VS_FLOOR}x`, r.ratio <= TARGET_VS_FLOOR ? 'PASS' : 'MISSED'],
        r.cli
          ? [`${r.input.name}: secret scan (CLI, process start incl.)`, seconds(r.cli.ms), mbps(layerBytes, r.cli.ms), vs(r.cli.ms), '', '']
          : [`${r.input.name}: secret scan (CLI)`, 'n/a', '', '', '', 'no --scanners secret in dist/cli'],
        [`${r.input.name}: context, walk with no inspector`, seconds(r.bare.ms), mbps(layerBytes, r.bare.ms), vs(r.bare.ms), '', ''],
      );
    }
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    rows.push(['context: node sha256 of the layer tars', seconds(sha.ms), mbps(layerBytes, sha.ms), `${(sha.ms / a.floor.ms).toFixed(2)}x (a)`, '', '']);
    const out = [
      renderTable(['measure', 'best', 'throughput', 'vs floor', 'goal', 'result'], rows),
      `image: ${image.tag}, ${layerTars.length} layers, ${(layerBytes / 1e6).toFixed(0)} MB of layer tars (decompressed), ${(oci.storedBytes / 1e6).toFixed(0)} MB gzip`,
      ...results.map((r) => `secret scan ${r.input.name}: ${r.found.findings} findings; ${r.found.notice || 'nothing skipped'}`),
      `goal (b), the gzip layers images are stored and pulled as: ${b.ratio <= TARGET_VS_FLOOR ? 'PASS' : 'MISSED'} (${b.ratio.toFixed(2)}x); ` +
        `(a), uncompressed tars: ${a.ratio <= TARGET_VS_FLOOR ? 'PASS' : 'MISSED'} (${a.ratio.toFixed(2)}x; the walk with no inspector alone is ${(a.bare.ms / a.floor.ms).toFixed(2)}x)`,
      ...results.map((r) => `runs (ms) ${r.input.name}: floor ${fmt(r.floor.all)} | secrets ${fmt(r.secrets.all)} | bare walk ${fmt(r.bare.all)}${r.cli ? ` | cli ${fmt(r.cli.all)}` : ''}`),
      `runs (ms) sha256 ${fmt(sha.all)}`,
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    return b.ratio <= TARGET_VS_FLOOR ? 0 : 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const fmt = (values: number[]): string => values.map((v) => v.toFixed(0)).join(' ');

function log(message: string): void {
  process.stderr.write(`bench/secrets: ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench/secrets: could not run: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);

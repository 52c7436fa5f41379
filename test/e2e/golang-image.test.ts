/**
 * The Go detector against a real image built with Debian's Go 1.19 (test/fixtures/go-app), checked
 * against `go version -m` run inside the image: every Go binary the toolchain finds, with its main
 * module, dependencies (replacements applied) and Go version, must be what the scan reports.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Package } from '../../src/core/package.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { golangDetector } from '../../src/modules/detector/golang/index.js';
import { readGoBinary } from '../../src/modules/detector/golang/inspect.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, type CachedImage } from '../support/images.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/go-app/', import.meta.url));
const HELLO = '/usr/local/bin/hello';

interface OracleBinary {
  goVersion: string;
  /** "path@version" of the main module, when the binary has one. */
  main?: string;
  /** "path@version" of each dependency, its replacement applied. */
  deps: string[];
}

/** `go version -m` output: "<file>: <go version>" then tab-indented modinfo lines. */
function parseGoVersionM(stdout: string): Map<string, OracleBinary> {
  const binaries = new Map<string, OracleBinary>();
  let current: OracleBinary | undefined;
  for (const line of stdout.split('\n')) {
    const head = /^(\/\S+): (.+)$/.exec(line);
    if (head) {
      current = { goVersion: head[2]!, deps: [] };
      binaries.set(head[1]!, current);
      continue;
    }
    const [, kind, path, version] = line.split('\t');
    if (!current || !kind) continue;
    if (kind === 'mod') current.main = `${path}@${version}`;
    if (kind === 'dep') current.deps.push(`${path}@${version}`);
    if (kind === '=>') current.deps[current.deps.length - 1] = `${path}@${version}`;
  }
  return binaries;
}

async function goVersionM(image: string, paths: string[]): Promise<Map<string, OracleBinary>> {
  const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', image, 'go', 'version', '-m', ...paths], { maxBuffer: 64 * 1024 * 1024 });
  return parseGoVersionM(stdout);
}

/**
 * `go version -m` over every regular file under `dirs`: go's own directory walk also reports
 * symlinks to binaries (/usr/bin/go), which a layer scan sees only as links, reported at their targets.
 */
async function goVersionMOfFiles(image: string, dirs: string[]): Promise<Map<string, OracleBinary>> {
  const script = 'go version -m $(find "$@" -type f)';
  const args = ['run', '--rm', '--network', 'none', image, 'sh', '-c', script, 'sh', ...dirs];
  const { stdout } = await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return parseGoVersionM(stdout);
}

const key = (p: Package) => `${p.name}@${p.version}`;

describe('golang detector on a Go 1.19 image', () => {
  let fixture: CachedImage;
  let result: ImageScanResult;
  let work: string;
  before(async () => {
    fixture = await cachedImage('go-app', CONTEXT);
    work = await mkdtemp(join(tmpdir(), 'bulwark-go-'));
    const source = await openInput(fixture.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    try {
      result = await scanImage(source, { detectors: [golangDetector] });
    } finally {
      await source.close();
    }
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reports /usr/local/bin/hello exactly as `go version -m` does', async () => {
    const oracle = (await goVersionM(fixture.image, [HELLO])).get(HELLO);
    assert.ok(oracle, 'go version -m found no build info');
    assert.match(oracle.goVersion, /^go1\.19/);
    const ours = result.packages.filter((p) => p.location === HELLO);
    const expected = [oracle.main!, ...oracle.deps, `stdlib@${oracle.goVersion.replace(/^go/, '')}`].sort();
    assert.deepEqual(ours.map(key).sort(), expected);
    // The fixture's own facts, so a broken oracle parse cannot make this pass vacuously.
    assert.deepEqual(expected, ['example.com/greet@v1.2.3', 'example.com/hello@(devel)', 'example.org/colorfork@v0.4.1', `stdlib@${oracle.goVersion.slice(2)}`].sort());
  });

  it('builds purls, evidence, scope, files and layer for the binary packages', () => {
    const ours = new Map(result.packages.filter((p) => p.location === HELLO).map((p) => [p.name, p]));
    assert.equal(ours.get('example.com/hello')?.purl, 'pkg:golang/example.com/hello');
    assert.equal(ours.get('example.com/greet')?.purl, 'pkg:golang/example.com/greet@v1.2.3');
    assert.equal(ours.get('example.org/colorfork')?.purl, 'pkg:golang/example.org/colorfork@v0.4.1');
    assert.match(ours.get('stdlib')?.purl ?? '', /^pkg:golang\/stdlib@1\.19\.\d+$/);
    const buildLayer = result.artifact.layers.findIndex((l) => l.createdBy?.includes('go build'));
    assert.ok(buildLayer > 0);
    for (const pkg of ours.values()) {
      assert.equal(pkg.type, 'golang');
      assert.equal(pkg.evidence, 'binary');
      assert.equal(pkg.scope, 'prod');
      assert.deepEqual(pkg.files, [HELLO]);
      assert.equal(pkg.layer?.index, buildLayer);
    }
    const replaced = result.notices.find((n) => n.message.startsWith(`${HELLO}:`) && n.message.includes('replace'));
    assert.ok(replaced?.message.includes('example.org/color@v0.4.0 => example.org/colorfork@v0.4.1'), JSON.stringify(result.notices));
  });

  it('finds the same Go binaries as `go version -m` over the toolchain and bin directories, with the same Go versions', async () => {
    const dirs = ['/usr/lib/go-1.19', '/usr/local/bin', '/usr/bin', '/usr/sbin'];
    const oracle = await goVersionMOfFiles(fixture.image, dirs);
    const inDirs = (p: string) => dirs.some((d) => p.startsWith(`${d}/`));
    const ourBinaries = new Set(result.packages.filter((p) => inDirs(p.location)).map((p) => p.location));
    assert.ok(oracle.size > 5, `only ${oracle.size} Go binaries in the toolchain?`);
    assert.deepEqual([...ourBinaries].sort(), [...oracle.keys()].sort());
    for (const [path, bin] of oracle) {
      const ours = result.packages.filter((p) => p.location === path);
      const expected = [...(bin.main ? [bin.main] : []), ...bin.deps, `stdlib@${bin.goVersion.replace(/^go/, '')}`].sort();
      assert.deepEqual(ours.map(key).sort(), expected, path);
    }
  });

  it('reports nothing for non-Go executables such as /usr/bin/ls', () => {
    for (const path of ['/usr/bin/ls', '/bin/ls', '/usr/bin/bash']) {
      assert.equal(result.packages.filter((p) => p.location === path).length, 0, path);
      assert.equal(result.notices.filter((n) => n.message.startsWith(`${path}:`)).length, 0, path);
    }
  });

  it('warns about a binary cut inside its build info and ignores one cut before it, without failing the scan', () => {
    const cut = result.notices.filter((n) => n.message.startsWith('/usr/local/bin/hello-cut-buildinfo:'));
    assert.equal(cut.length, 1, JSON.stringify(result.notices));
    assert.equal(cut[0]?.level, 'warning');
    assert.equal(cut[0]?.detector, 'golang');
    assert.equal(result.packages.filter((p) => p.location.startsWith('/usr/local/bin/hello-cut')).length, 0);
    assert.equal(result.notices.filter((n) => n.message.startsWith('/usr/local/bin/hello-cut-early:')).length, 0);
  });

  it('reads the real binary streamed in odd-sized chunks the same way', async () => {
    const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', fixture.image, 'cat', HELLO], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    const chunks: Buffer[] = [];
    for (let i = 0; i < stdout.length; i += 4093) chunks.push(stdout.subarray(i, i + 4093));
    const value = await readGoBinary(Readable.from(chunks));
    assert.equal(value?.kind, 'buildinfo');
    if (value?.kind !== 'buildinfo') return;
    assert.equal(value.info.path, 'example.com/hello');
    assert.deepEqual(value.info.deps.map((d) => d.path), ['example.com/greet', 'example.org/color']);
    assert.ok(value.info.settings.some((s) => s.key === 'CGO_ENABLED' && s.value === '0'));
  });
});

describe('golang detector on directories', () => {
  let work: string;
  let fixture: CachedImage;
  let oracle: OracleBinary;
  before(async () => {
    fixture = await cachedImage('go-app', CONTEXT);
    oracle = (await goVersionM(fixture.image, [HELLO])).get(HELLO)!;
    work = await mkdtemp(join(tmpdir(), 'bulwark-go-dir-'));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reads the fixture go.mod (replace applied), agreeing with the binary built from it, and skips vendor/', async () => {
    const scanned = await scanDirectory(join(CONTEXT, 'src'), { detectors: [golangDetector] });
    const fromGoMod = scanned.packages.filter((p) => p.location.endsWith('/go.mod'));
    assert.deepEqual(fromGoMod.map(key).sort(), [...oracle.deps].sort());
    assert.deepEqual(fromGoMod.map(key).sort(), ['example.com/greet@v1.2.3', 'example.org/colorfork@v0.4.1']);
    for (const pkg of fromGoMod) assert.equal(pkg.evidence, 'lockfile');
    assert.equal(scanned.packages.length, fromGoMod.length);
  });

  it('finds Go binaries in directories too, and falls back to go.sum without go.mod', async () => {
    const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', fixture.image, 'cat', HELLO], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    await mkdir(join(work, 'bin'));
    await writeFile(join(work, 'bin', 'hello'), stdout, { mode: 0o755 });
    await writeFile(join(work, 'bin', 'hello.copy'), stdout, { mode: 0o644 }); // not executable: not inspected
    await mkdir(join(work, 'sumonly'));
    await writeFile(join(work, 'sumonly', 'go.sum'), 'github.com/a/b v1.2.3 h1:aaa=\ngithub.com/a/b v1.2.3/go.mod h1:bbb=\ngithub.com/c/d v0.1.0/go.mod h1:c=\n');
    const scanned = await scanDirectory(work, { detectors: [golangDetector] });
    const binary = scanned.packages.filter((p) => p.evidence === 'binary');
    assert.ok(binary.every((p) => p.location.endsWith('/bin/hello')), JSON.stringify(binary.map((p) => p.location)));
    const expected = [oracle.main!, ...oracle.deps, `stdlib@${oracle.goVersion.replace(/^go/, '')}`].sort();
    assert.deepEqual(binary.map(key).sort(), expected);
    const sum = scanned.packages.filter((p) => p.location.endsWith('/sumonly/go.sum'));
    assert.deepEqual(sum.map(key), ['github.com/a/b@v1.2.3']);
  });
});

/**
 * The real implementations the version schemes are checked against, each run as one batched process:
 *
 * - dpkg: scripts/versioning-oracles/dpkg-vercmp.c linked against libdpkg.a (Debian packages gcc and
 *   libdpkg-dev), compiled once into BULWARK_TEST_CACHE (default /var/cache/bulwark-test) under a
 *   directory keyed by a hash of the source and the libdpkg version; plus the plain CLI
 *   `dpkg --compare-versions` (scripts/versioning-oracles/dpkg-cli-compare.sh) to spot-check it.
 * - rpm: scripts/versioning-oracles/rpm-vercmp.lua inside `rpm --eval` (Debian package rpm).
 * - pep440: scripts/versioning-oracles/pep440-oracle.py in a python3 that can import `packaging`
 *   (Debian packages python3 and python3-packaging); /usr/bin/python3 is tried first, then PATH.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Pair } from './generators.js';

const run = promisify(execFile);
const ORACLES = fileURLToPath(new URL('../../scripts/versioning-oracles/', import.meta.url));
const CACHE_DIR = process.env['BULWARK_TEST_CACHE'] ?? '/var/cache/bulwark-test';

/** What the real implementation says about one pair. */
export interface Verdict {
  aValid: boolean;
  bValid: boolean;
  /** Sign of compare(a, b); meaningful only when both are valid. */
  cmp: number;
}

/** Runs a command with `input` on stdin and returns its stdout; rejects on a non-zero exit. */
function runWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

async function commandExists(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

// --- dpkg ----------------------------------------------------------------------------------------------

/** Why the dpkg oracle cannot be built here, or undefined when it can. */
export async function missingDpkgOracle(): Promise<string | undefined> {
  if (!(await commandExists('dpkg'))) return 'dpkg is not installed';
  if (!(await commandExists('gcc'))) return 'gcc is not installed (apt-get install -y gcc libdpkg-dev)';
  if (!existsSync('/usr/include/dpkg/version.h')) return 'libdpkg-dev is not installed (apt-get install -y libdpkg-dev)';
  return undefined;
}

/** The compiled libdpkg oracle, built on first use and cached by source and libdpkg version. */
export async function dpkgOracleBinary(): Promise<string> {
  const source = join(ORACLES, 'dpkg-vercmp.c');
  const { stdout: libdpkgVersion } = await run('dpkg-query', ['-W', '-f', '${Version}', 'libdpkg-dev']);
  const key = createHash('sha256')
    .update(await readFile(source))
    .update(libdpkgVersion)
    .digest('hex')
    .slice(0, 16);
  for (const base of [CACHE_DIR, join(tmpdir(), 'bulwark-test-cache')]) {
    const dir = join(base, `dpkg-vercmp-${key}`);
    const binary = join(dir, 'dpkg-vercmp');
    if (existsSync(binary)) return binary;
    try {
      await mkdir(dir, { recursive: true });
    } catch {
      continue;
    }
    const partial = `${binary}.${process.pid}.tmp`;
    await run('gcc', ['-O2', '-o', partial, source, '-ldpkg']);
    await rename(partial, binary);
    return binary;
  }
  throw new Error('no writable cache directory for the dpkg oracle');
}

export async function runDpkgOracle(pairs: Pair[]): Promise<Verdict[]> {
  const binary = await dpkgOracleBinary();
  const input = pairs.map(([a, b]) => `${a}\x1f${b}\n`).join('');
  const lines = (await runWithInput(binary, [], input)).trimEnd().split('\n');
  if (lines.length !== pairs.length) throw new Error(`dpkg oracle answered ${lines.length} of ${pairs.length} pairs`);
  return lines.map((line) => {
    const [va, vb, cmp] = line.split(' ').map(Number);
    // A version parseversion() only warns about (1) is unparseable for the scheme.
    return { aValid: va === 0, bValid: vb === 0, cmp: cmp! };
  });
}

/**
 * The plain CLI, one `dpkg --compare-versions` (two at most) per pair, run from one bash loop:
 * -1, 0 or 1, or NaN where dpkg failed.
 */
export async function runDpkgCli(pairs: Pair[]): Promise<number[]> {
  const input = pairs.map(([a, b]) => `${a}\x1f${b}\n`).join('');
  const lines = (await runWithInput('bash', [join(ORACLES, 'dpkg-cli-compare.sh')], input)).trimEnd().split('\n');
  if (lines.length !== pairs.length) throw new Error(`dpkg --compare-versions answered ${lines.length} of ${pairs.length} pairs`);
  return lines.map(Number);
}

// --- rpm -----------------------------------------------------------------------------------------------

export async function missingRpmOracle(): Promise<string | undefined> {
  return (await commandExists('rpm')) ? undefined : 'rpm is not installed (apt-get install -y rpm)';
}

/** rpm.vercmp() for every pair; aValid/bValid false where rpm rejected the pair (it rejects little). */
export async function runRpmOracle(pairs: Pair[]): Promise<Verdict[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-rpm-vercmp-'));
  try {
    const pairsFile = join(dir, 'pairs');
    const resultsFile = join(dir, 'results');
    await writeFile(pairsFile, pairs.map(([a, b]) => `${a}\x1f${b}\n`).join(''));
    const script = join(ORACLES, 'rpm-vercmp.lua');
    await run('rpm', ['--define', `pairs ${pairsFile}`, '--define', `results ${resultsFile}`, '--eval', `%{lua: dofile("${script}")}`]);
    const lines = (await readFile(resultsFile, 'utf8')).trimEnd().split('\n');
    if (lines.length !== pairs.length) throw new Error(`rpm oracle answered ${lines.length} of ${pairs.length} pairs`);
    return lines.map((line) => (line === 'E' ? { aValid: false, bValid: false, cmp: 0 } : { aValid: true, bValid: true, cmp: Math.sign(Number(line)) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- PEP 440 -------------------------------------------------------------------------------------------

/** A python3 that can import packaging: /usr/bin/python3 first (CI's Debian one), then PATH. */
export async function findPythonWithPackaging(): Promise<string | undefined> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import packaging.version']);
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export async function runPep440Oracle(python: string, pairs: Pair[]): Promise<{ packagingVersion: string; verdicts: Verdict[] }> {
  const out = await runWithInput(python, [join(ORACLES, 'pep440-oracle.py')], JSON.stringify(pairs));
  const answer = JSON.parse(out) as { packaging: string; results: [boolean, boolean, number][] };
  if (answer.results.length !== pairs.length) throw new Error(`packaging oracle answered ${answer.results.length} of ${pairs.length} pairs`);
  return {
    packagingVersion: answer.packaging,
    verdicts: answer.results.map(([aValid, bValid, cmp]) => ({ aValid, bValid, cmp })),
  };
}

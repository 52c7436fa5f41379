import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { VerifyBinariesError, readChecksums, type DigestAlgorithm, type ExpectedDigest } from './checksums.js';
import { hashFile } from './hash.js';

/** Binaries of a Kubernetes server/node/client release (dl.k8s.io/release/vX/bin/OS/ARCH/). */
export const KUBERNETES_BINARIES: readonly string[] = [
  'apiextensions-apiserver',
  'kube-aggregator',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-proxy',
  'kube-scheduler',
  'kubeadm',
  'kubectl',
  'kubectl-convert',
  'kubelet',
  'mounter',
];

export type BinaryStatus = 'verified' | 'mismatch' | 'no-checksum' | 'missing' | 'not-regular' | 'symlink-outside';

export interface BinaryResult {
  name: string;
  /** The file in DIR (as named there, not the symlink's target). */
  path: string;
  status: BinaryStatus;
  /** What the checksum input lists for this name. */
  expected: ExpectedDigest[];
  /** Digests computed from the file's bytes (only when something was listed to compare with). */
  actual: Partial<Record<DigestAlgorithm, string>>;
  /** One line for a person: why the status, e.g. the short mismatch or the symlink's target. */
  detail: string;
}

export interface VerifyReport {
  dir: string;
  checksums: string;
  results: BinaryResult[];
  counts: Record<BinaryStatus, number>;
}

function isKnownBinary(name: string): boolean {
  return KUBERNETES_BINARIES.includes(name.endsWith('.exe') ? name.slice(0, -4) : name);
}

const short = (hex: string): string => `${hex.slice(0, 12)}...`;

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** Compares the computed digests with every listed one; a name may be listed by several algorithms (all must match) and several times (one must match). */
function compare(name: string, expected: ExpectedDigest[], actual: Partial<Record<DigestAlgorithm, string>>): Pick<BinaryResult, 'status' | 'detail'> {
  const algorithms = [...new Set(expected.map((e) => e.algorithm))].sort();
  for (const algorithm of algorithms) {
    const listed = expected.filter((e) => e.algorithm === algorithm);
    const got = actual[algorithm]!;
    if (!listed.some((e) => e.digest === got)) {
      return { status: 'mismatch', detail: `${name}: ${algorithm} mismatch: expected ${short(listed[0]!.digest)} (${listed[0]!.source}), got ${short(got)}` };
    }
  }
  return { status: 'verified', detail: `${name}: ${algorithms.join(' and ')} match` };
}

async function checkOne(dir: string, realDir: string, name: string, expected: ExpectedDigest[]): Promise<BinaryResult> {
  const path = join(dir, name);
  const result = (status: BinaryStatus, detail: string, actual: BinaryResult['actual'] = {}): BinaryResult => ({ name, path, status, expected, actual, detail });
  let link;
  try {
    link = await lstat(path);
  } catch (e) {
    if (code(e) === 'ENOENT') return result('missing', `${name}: listed in ${expected[0]?.source ?? 'the checksums'} but not in ${dir}`);
    return result('not-regular', `${name}: cannot read: ${code(e)}`);
  }
  let target = path;
  if (link.isSymbolicLink()) {
    const inside = (p: string): boolean => p.startsWith(realDir.endsWith(sep) ? realDir : realDir + sep);
    try {
      target = await realpath(path);
    } catch (e) {
      // A dangling link is still judged by where it points, so a link out of DIR is reported as such.
      const pointsTo = resolve(realDir, await readlink(path).catch(() => '.'));
      if (!inside(pointsTo)) return result('symlink-outside', `${name}: symlink to ${pointsTo}, outside ${dir}; not followed`);
      return result('not-regular', `${name}: symlink that cannot be resolved (${code(e)})`);
    }
    if (!inside(target)) return result('symlink-outside', `${name}: symlink to ${target}, outside ${dir}; not followed`);
  }
  let handle;
  try {
    // O_NOFOLLOW and O_NONBLOCK: a file swapped for a symlink or a FIFO after the checks above is neither followed nor waited on.
    handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return result('not-regular', `${name}: cannot open: ${code(e)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return result('not-regular', `${name}: not a regular file`);
    if (expected.length === 0) return result('no-checksum', `${name}: no checksum listed for it`);
    const algorithms = [...new Set(expected.map((e) => e.algorithm))].sort();
    let actual;
    try {
      actual = await hashFile(handle, algorithms);
    } catch (e) {
      return result('not-regular', `${name}: read failed: ${code(e)}`);
    }
    const verdict = compare(name, expected, actual);
    return result(verdict.status, verdict.detail, actual);
  } finally {
    await handle.close();
  }
}

/**
 * Checks the Kubernetes binaries in `dir` (every regular file with a Kubernetes binary's name, and every
 * file the checksums name) against `checksums`: a sha256sum/sha512sum list, or a directory of per-binary
 * `.sha256`/`.sha512` files as dl.k8s.io publishes them. Throws VerifyBinariesError on bad input.
 */
export async function verifyBinaries(dir: string, checksums: string): Promise<VerifyReport> {
  let realDir: string;
  try {
    if (!(await stat(dir)).isDirectory()) throw new VerifyBinariesError(`${dir} is not a directory`);
    realDir = await realpath(dir);
  } catch (e) {
    if (e instanceof VerifyBinariesError) throw e;
    throw new VerifyBinariesError(`cannot read binaries directory ${dir}: ${code(e)}`);
  }
  const expected = await readChecksums(checksums);
  const byName = new Map<string, ExpectedDigest[]>();
  for (const d of expected) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    throw new VerifyBinariesError(`cannot read binaries directory ${dir}: ${code(e)}`);
  }
  const names = new Set([...entries.filter(isKnownBinary), ...byName.keys()]);
  const results: BinaryResult[] = [];
  for (const name of [...names].sort()) results.push(await checkOne(dir, realDir, name, byName.get(name) ?? []));
  const counts: Record<BinaryStatus, number> = { verified: 0, mismatch: 0, 'no-checksum': 0, missing: 0, 'not-regular': 0, 'symlink-outside': 0 };
  for (const r of results) counts[r.status]++;
  return { dir, checksums, results, counts };
}

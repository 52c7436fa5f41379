import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  VerifyBinariesError,
  binariesPack,
  binaryRules,
  parseChecksums,
  verifyBinaries,
  verifyFindings,
  type BinaryResult,
  type VerifyReport,
} from '../../src/k8s/verify-binaries/index.js';
import { assertMetaContract } from '../rules/meta-contract.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/k8s/verify/', import.meta.url));

let root: string;
let n = 0;
/** A fresh directory under the test's scratch root. */
function scratch(): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes binaries (name -> bytes) into dir; returns the bytes. */
function writeBinaries(dir: string, files: Record<string, Buffer | string>): void {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

/** Runs coreutils (sha256sum/sha512sum) with `args` in `cwd`: the checksum lists are built by the real tools. */
function coreutils(tool: 'sha256sum' | 'sha512sum', args: string[], cwd: string): string {
  return execFileSync(tool, args, { cwd, encoding: 'utf8' });
}

function statusOf(report: VerifyReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.name, r.status]));
}

function resultOf(report: VerifyReport, name: string): BinaryResult {
  const r = report.results.find((x) => x.name === name);
  assert.ok(r, `no result for ${name}`);
  return r;
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof VerifyBinariesError, `not a VerifyBinariesError: ${String(e)}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one-line message');
    return true;
  });
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'bulwark-verify-bin-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('verifyBinaries against coreutils-built checksum lists', () => {
  it('verifies every listed binary of a sha256sum list; the digests equal coreutils\' and Node\'s of the same bytes', async () => {
    const dir = scratch();
    const bytes = { kubectl: randomBytes(70_000), kubelet: randomBytes(1), 'kube-apiserver': Buffer.alloc(0) };
    writeBinaries(dir, bytes);
    const list = coreutils('sha256sum', Object.keys(bytes), dir);
    assert.match(list, /^[0-9a-f]{64} {2}kubectl$/m, 'text-mode lines, two spaces');
    writeFileSync(join(root, 'list-a.sha256sum'), list);
    const report = await verifyBinaries(dir, join(root, 'list-a.sha256sum'));
    assert.deepEqual(statusOf(report), { 'kube-apiserver': 'verified', kubectl: 'verified', kubelet: 'verified' });
    for (const [name, b] of Object.entries(bytes)) {
      const ours = resultOf(report, name).actual.sha256;
      assert.equal(ours, createHash('sha256').update(b).digest('hex'));
      assert.ok(list.includes(`${ours}  ${name}`), `coreutils listed ${name} with ${ours}`);
    }
    assert.deepEqual(verifyFindings(report), []);
    assert.equal(report.counts.verified, 3);
  });

  it('reads binary-mode "<hex> *<name>" sha512sum lines and hashes with sha512', async () => {
    const dir = scratch();
    writeBinaries(dir, { kubeadm: randomBytes(5000), 'kube-scheduler': randomBytes(12345) });
    const list = coreutils('sha512sum', ['-b', 'kubeadm', 'kube-scheduler'], dir);
    assert.match(list, /^[0-9a-f]{128} \*kubeadm$/m);
    writeFileSync(join(root, 'list-b.sha512sum'), list);
    const report = await verifyBinaries(dir, join(root, 'list-b.sha512sum'));
    assert.deepEqual(statusOf(report), { 'kube-scheduler': 'verified', kubeadm: 'verified' });
    assert.deepEqual(Object.keys(resultOf(report, 'kubeadm').actual), ['sha512']);
    assert.match(resultOf(report, 'kubeadm').detail, /sha512 match/);
  });

  it('matches path-prefixed names (bin/linux/amd64/kubelet) by file name', async () => {
    const release = scratch();
    const bin = join(release, 'bin', 'linux', 'amd64');
    mkdirSync(bin, { recursive: true });
    writeBinaries(bin, { kubelet: randomBytes(3000), 'kube-proxy': randomBytes(4000) });
    const list = coreutils('sha256sum', ['bin/linux/amd64/kubelet', 'bin/linux/amd64/kube-proxy'], release);
    assert.match(list, / {2}bin\/linux\/amd64\/kubelet$/m);
    writeFileSync(join(root, 'list-c.sha256sum'), list);
    const report = await verifyBinaries(bin, join(root, 'list-c.sha256sum'));
    assert.deepEqual(statusOf(report), { 'kube-proxy': 'verified', kubelet: 'verified' });
  });

  it('reports a changed binary as a mismatch, as `sha256sum --check` does, with a CRITICAL BW-K8S-401 finding', async () => {
    const dir = scratch();
    writeBinaries(dir, { kubectl: randomBytes(9000), kubelet: randomBytes(9000) });
    const listPath = join(root, 'list-d.sha256sum');
    writeFileSync(listPath, coreutils('sha256sum', ['kubectl', 'kubelet'], dir));
    const tampered = randomBytes(9000);
    writeFileSync(join(dir, 'kubelet'), tampered);
    // Differential: coreutils says FAILED for the same file, OK for the other.
    let check = '';
    try {
      execFileSync('sha256sum', ['--check', listPath], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      check = (e as { stdout: string }).stdout;
    }
    assert.match(check, /^kubelet: FAILED$/m);
    assert.match(check, /^kubectl: OK$/m);

    const report = await verifyBinaries(dir, listPath);
    assert.deepEqual(statusOf(report), { kubectl: 'verified', kubelet: 'mismatch' });
    const bad = resultOf(report, 'kubelet');
    const actual = createHash('sha256').update(tampered).digest('hex');
    assert.equal(bad.actual.sha256, actual);
    assert.match(bad.detail, new RegExp(`^kubelet: sha256 mismatch: expected ${bad.expected[0]!.digest.slice(0, 12)}\\.\\.\\. \\(.*list-d\\.sha256sum:2\\), got ${actual.slice(0, 12)}\\.\\.\\.$`));
    const findings = verifyFindings(report);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.id, 'BW-K8S-401');
    assert.equal(f.severity, 'CRITICAL');
    assert.equal(f.stackLayer, 'orchestrator');
    assert.equal(f.location.path, join(dir, 'kubelet'));
    assert.equal(f.target, dir);
    assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(verifyFindings(report)[0]!.fingerprint, f.fingerprint, 'stable fingerprint');
  });

  it('reports listed-but-missing (BW-K8S-403 LOW) and unlisted kube binaries (BW-K8S-402 MEDIUM); other files are ignored', async () => {
    const dir = scratch();
    writeBinaries(dir, { kubectl: 'a', kubeadm: 'b', 'kubectl.exe': 'w', README: 'not a binary', 'kube-proxy.tar': 'x' });
    const other = scratch();
    writeBinaries(other, { kubectl: 'a', 'kube-controller-manager': 'c' });
    writeFileSync(join(root, 'list-e.sha256sum'), coreutils('sha256sum', ['kubectl', 'kube-controller-manager'], other));
    const report = await verifyBinaries(dir, join(root, 'list-e.sha256sum'));
    assert.deepEqual(statusOf(report), { 'kube-controller-manager': 'missing', kubeadm: 'no-checksum', kubectl: 'verified', 'kubectl.exe': 'no-checksum' });
    assert.deepEqual(
      verifyFindings(report).map((f) => [f.id, f.severity, f.location.path]),
      [
        ['BW-K8S-402', 'MEDIUM', join(dir, 'kubeadm')],
        ['BW-K8S-402', 'MEDIUM', join(dir, 'kubectl.exe')],
        ['BW-K8S-403', 'LOW', join(dir, 'kube-controller-manager')],
      ],
    );
    assert.deepEqual(resultOf(report, 'kubeadm').actual, {}, 'an unlisted binary is not read');
  });

  it('refuses symlinks that leave DIR (reported, never read) and follows those that stay inside', async () => {
    const dir = scratch();
    const outside = scratch();
    writeBinaries(outside, { kubelet: 'outside kubelet' });
    mkdirSync(join(dir, 'real'));
    writeBinaries(join(dir, 'real'), { 'kube-proxy': 'inside kube-proxy' });
    symlinkSync(join(outside, 'kubelet'), join(dir, 'kubelet'));
    symlinkSync('real/kube-proxy', join(dir, 'kube-proxy'));
    symlinkSync('../../etc/passwd', join(dir, 'kubeadm'));
    symlinkSync('nowhere', join(dir, 'kubectl'));
    const listPath = join(root, 'list-f.sha256sum');
    writeFileSync(listPath, coreutils('sha256sum', ['kubelet', 'kube-proxy'], dir));
    const report = await verifyBinaries(dir, listPath);
    assert.deepEqual(statusOf(report), { 'kube-proxy': 'verified', kubeadm: 'symlink-outside', kubectl: 'not-regular', kubelet: 'symlink-outside' });
    const kubelet = resultOf(report, 'kubelet');
    assert.deepEqual(kubelet.actual, {});
    assert.match(kubelet.detail, /symlink to .*kubelet, outside .*; not followed/);
    assert.match(resultOf(report, 'kubectl').detail, /symlink that cannot be resolved \(ENOENT\)/);
    assert.deepEqual(
      verifyFindings(report).map((f) => [f.id, f.location.path]),
      [
        ['BW-K8S-402', join(dir, 'kubeadm')],
        ['BW-K8S-402', join(dir, 'kubectl')],
        ['BW-K8S-402', join(dir, 'kubelet')],
      ],
    );
  });

  it('reports a directory or FIFO with a binary name as not a regular file, without blocking on the FIFO', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'kubectl'));
    execFileSync('mkfifo', [join(dir, 'kubelet')]);
    writeFileSync(join(root, 'list-g.sha256sum'), `${'a'.repeat(64)}  kubelet\n${'b'.repeat(64)}  kubectl\n`);
    const report = await verifyBinaries(dir, join(root, 'list-g.sha256sum'));
    assert.deepEqual(statusOf(report), { kubectl: 'not-regular', kubelet: 'not-regular' });
    assert.match(resultOf(report, 'kubelet').detail, /not a regular file/);
  });

  it('streams a large binary and hashes sha256 and sha512 in one read when both are listed', async () => {
    const dir = scratch();
    const big = randomBytes(24 * 1024 * 1024 + 7);
    writeBinaries(dir, { 'kube-apiserver': big });
    const list = coreutils('sha256sum', ['kube-apiserver'], dir) + coreutils('sha512sum', ['kube-apiserver'], dir);
    writeFileSync(join(root, 'list-h.sums'), list);
    const report = await verifyBinaries(dir, join(root, 'list-h.sums'));
    const r = resultOf(report, 'kube-apiserver');
    assert.equal(r.status, 'verified');
    assert.equal(r.actual.sha256, createHash('sha256').update(big).digest('hex'));
    assert.equal(r.actual.sha512, createHash('sha512').update(big).digest('hex'));
    assert.match(r.detail, /sha256 and sha512 match/);
    // One algorithm wrong is a mismatch even when the other matches.
    writeFileSync(join(root, 'list-h2.sums'), coreutils('sha256sum', ['kube-apiserver'], dir) + `${'0'.repeat(128)}  kube-apiserver\n`);
    const r2 = resultOf(await verifyBinaries(dir, join(root, 'list-h2.sums')), 'kube-apiserver');
    assert.equal(r2.status, 'mismatch');
    assert.match(r2.detail, /sha512 mismatch/);
  });

  it('reads BSD-style `sha256sum --tag` lines, CRLF line ends, upper-case hex and comments', async () => {
    const dir = scratch();
    writeBinaries(dir, { kubectl: randomBytes(100), 'kubectl-convert': randomBytes(200) });
    const tagged = coreutils('sha256sum', ['--tag', 'kubectl'], dir);
    assert.match(tagged, /^SHA256 \(kubectl\) = [0-9a-f]{64}$/m);
    const plain = coreutils('sha512sum', ['kubectl-convert'], dir).toUpperCase().replace('KUBECTL-CONVERT', 'kubectl-convert');
    writeFileSync(join(root, 'list-i.sums'), `# release v1.30.2\r\n${tagged.trim()}\r\n\r\n${plain.trim()}\r\n`);
    const report = await verifyBinaries(dir, join(root, 'list-i.sums'));
    assert.deepEqual(statusOf(report), { kubectl: 'verified', 'kubectl-convert': 'verified' });
  });
});

describe('dl.k8s.io per-binary checksum files', () => {
  it('reads a directory of <binary>.sha256 / .sha512 files holding only the digest (the fixture beside its binaries)', async () => {
    const dir = join(FIXTURES, 'dl-k8s-io');
    const report = await verifyBinaries(dir, dir);
    assert.deepEqual(statusOf(report), { kubectl: 'verified', kubelet: 'verified' });
    assert.deepEqual(Object.keys(resultOf(report, 'kubectl').actual).sort(), ['sha256', 'sha512']);
    assert.deepEqual(Object.keys(resultOf(report, 'kubelet').actual), ['sha512']);
    // Same digests as coreutils computes for the fixture files.
    const sum = coreutils('sha512sum', ['kubelet'], dir).split(' ')[0];
    assert.equal(resultOf(report, 'kubelet').actual.sha512, sum);
  });

  it('reads one per-binary file given as --checksums FILE, its binary named by the file name', async () => {
    const dir = join(FIXTURES, 'dl-k8s-io');
    const report = await verifyBinaries(dir, join(dir, 'kubectl.sha256'));
    assert.deepEqual(statusOf(report), { kubectl: 'verified', kubelet: 'no-checksum' });
  });

  it('writes per-binary files the way the Kubernetes docs check them, and flags a wrong digest in a separate sha256sum list', async () => {
    const dir = scratch();
    const sums = scratch();
    writeBinaries(dir, { kubelet: randomBytes(777), kubectl: randomBytes(888) });
    for (const name of ['kubelet', 'kubectl']) {
      writeFileSync(join(sums, `${name}.sha512`), coreutils('sha512sum', [name], dir).split(' ')[0]!);
      // `echo "$(<kubectl.sha256) kubectl" | sha256sum --check` accepts one space: so do we.
      writeFileSync(join(sums, `${name}.sha256`), `${coreutils('sha256sum', [name], dir).split(' ')[0]} ${name}\n`);
    }
    writeFileSync(join(sums, 'notes.txt'), 'ignored: not a .sha256/.sha512 file');
    assert.deepEqual(statusOf(await verifyBinaries(dir, sums)), { kubectl: 'verified', kubelet: 'verified' });
    const wrong = await verifyBinaries(join(FIXTURES, 'dl-k8s-io'), join(FIXTURES, 'wrong-kubelet.sha256sum'));
    assert.equal(resultOf(wrong, 'kubelet').status, 'mismatch');
    assert.match(resultOf(wrong, 'kubelet').detail, /expected e3b0c44298fc\.\.\. \(.*wrong-kubelet\.sha256sum:2\)/);
  });
});

describe('bad input gives one-line errors', () => {
  it('missing DIR, a file as DIR', async () => {
    await rejectsWith(verifyBinaries(join(root, 'no-such-dir'), join(FIXTURES, 'wrong-kubelet.sha256sum')), /^cannot read binaries directory .*no-such-dir: ENOENT$/);
    await rejectsWith(verifyBinaries(join(FIXTURES, 'wrong-kubelet.sha256sum'), join(FIXTURES, 'wrong-kubelet.sha256sum')), /is not a directory$/);
  });

  it('missing, unreadable or empty checksum input', async () => {
    const dir = scratch();
    await rejectsWith(verifyBinaries(dir, join(root, 'none.sha256sum')), /^cannot read checksums .*none\.sha256sum: ENOENT$/);
    writeFileSync(join(root, 'empty.sums'), '# nothing here\n\n');
    await rejectsWith(verifyBinaries(dir, join(root, 'empty.sums')), /empty\.sums: no checksums listed$/);
    const emptyDir = scratch();
    await rejectsWith(verifyBinaries(dir, emptyDir), /holds no <binary>\.sha256 or <binary>\.sha512 files$/);
    writeFileSync(join(emptyDir, 'kubectl.sha256'), '');
    await rejectsWith(verifyBinaries(dir, emptyDir), /kubectl\.sha256: empty checksum file$/);
    if (process.getuid?.() !== 0) {
      writeFileSync(join(root, 'locked.sums'), `${'a'.repeat(64)}  kubectl\n`, { mode: 0o000 });
      await rejectsWith(verifyBinaries(dir, join(root, 'locked.sums')), /cannot read checksums .*locked\.sums: EACCES$/);
    }
  });

  it('a malformed line names the file and line', async () => {
    const dir = scratch();
    const path = join(root, 'bad.sums');
    writeFileSync(path, `${'a'.repeat(64)}  kubectl\n\n${'b'.repeat(64)}\n`);
    await rejectsWith(verifyBinaries(dir, path), /bad\.sums:3: not a checksum line \("<hex>  <name>"\): "b{57}\.\.\."$/);
    writeFileSync(path, `${'a'.repeat(40)}  kubectl\n`);
    await rejectsWith(verifyBinaries(dir, path), /bad\.sums:1: digest of 40 hex digits is neither sha256 \(64\) nor sha512 \(128\)$/);
    writeFileSync(path, `kubectl: OK\n`);
    await rejectsWith(verifyBinaries(dir, path), /bad\.sums:1: not a checksum line/);
    writeFileSync(path, `SHA512 (kubectl) = ${'c'.repeat(64)}\n`);
    await rejectsWith(verifyBinaries(dir, path), /bad\.sums:1: SHA512 line holds a digest of 64 hex digits$/);
    const sums = scratch();
    writeFileSync(join(sums, 'kubectl.sha256'), 'd'.repeat(128));
    await rejectsWith(verifyBinaries(dir, sums), /kubectl\.sha256:1: sha512 digest in a \.sha256 file$/);
  });

  it('parseChecksums keeps file names only and refuses names that are not files', () => {
    assert.deepEqual(
      parseChecksums('l', `${'A'.repeat(64)} *../../bin/linux/amd64/kubelet\n`).map((d) => [d.name, d.algorithm, d.digest, d.source]),
      [['kubelet', 'sha256', 'a'.repeat(64), 'l:1']],
    );
    assert.throws(() => parseChecksums('l', `${'a'.repeat(64)}  bin/..\n`), /l:1: no file name/);
  });
});

describe('k8s-binaries pack', () => {
  it('meets the rule metadata contract', () => {
    assert.equal(binariesPack.id, 'k8s-binaries');
    const metas = binariesPack.rules();
    assert.deepEqual(metas.map((m) => [m.id, m.severity]), [
      ['BW-K8S-401', 'CRITICAL'],
      ['BW-K8S-402', 'MEDIUM'],
      ['BW-K8S-403', 'LOW'],
    ]);
    assertMetaContract(binaryRules(), /^BW-K8S-4\d\d$/, () => false);
  });
});

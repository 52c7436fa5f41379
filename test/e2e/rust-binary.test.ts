import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { rustDetector } from '../../src/modules/detector/rust/index.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { AUDIT_DATA, buildAuditableBinary, type BuiltBinary } from '../fixtures/rust-files/build-binary.js';
import { debianFixtures } from '../support/images.js';

const exec = promisify(execFile);
const FILES = fileURLToPath(new URL('../fixtures/rust-files/', import.meta.url));
const docker = async (...args: string[]) => (await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
const expected = AUDIT_DATA.packages.map((p) => `pkg:cargo/${p.name}@${p.version}${p.kind === 'build' ? ' dev' : ''}`).sort();

describe('Rust binaries with cargo-auditable data, in a Debian image and a directory', () => {
  let work: string;
  let built: BuiltBinary;
  let context: string;
  let image: string;
  let result: ImageScanResult;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-rust-e2e-'));
    built = await buildAuditableBinary(join(work, 'good'));
    const notZlib = await buildAuditableBinary(join(work, 'bad'), Buffer.from('not zlib at all'));
    context = join(work, 'context');
    await mkdir(join(context, 'bin'), { recursive: true });
    await copyFile(built.audited, join(context, 'bin/hello-audit'));
    await copyFile(built.plain, join(context, 'bin/hello-plain'));
    await copyFile(notZlib.audited, join(context, 'bin/bad-section'));
    const whole = await readFile(built.audited);
    await writeFile(join(context, 'bin/truncated'), whole.subarray(0, whole.length - 300));
    for (const name of ['hello-audit', 'hello-plain', 'bad-section', 'truncated']) await chmod(join(context, 'bin', name), 0o755);
    await writeFile(join(context, 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nCOPY bin/ /usr/local/bin/\n');
    const { baseImage } = await debianFixtures();
    image = `bulwark-test/rust-bin:${createHash('sha256').update(whole).digest('hex').slice(0, 8)}`;
    await exec('docker', ['build', '--network', 'none', '--build-arg', `BASE=${baseImage}`, '-t', image, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    const archive = join(work, 'image.tar');
    await docker('save', '-o', archive, image);
    const source = await openInput(archive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    result = await scanImage(source, { detectors: [rustDetector] });
  });
  after(async () => {
    if (image) await docker('rmi', image).catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the fixture binary is real: it runs in the image and objdump shows the section', async () => {
    assert.equal((await docker('run', '--rm', '--network', 'none', image, '/usr/local/bin/hello-audit')).trim(), 'Hello, world!');
    assert.match((await exec('objdump', ['-h', built.audited])).stdout, /\.dep-v0/);
  });

  it('reports exactly the embedded crates, located at the binary, from the COPY layer', () => {
    assert.deepEqual(result.packages.map((p) => `${p.purl}${p.scope ? ` ${p.scope}` : ''}`).sort(), expected);
    for (const p of result.packages) {
      assert.equal(p.location, '/usr/local/bin/hello-audit');
      assert.equal(p.evidence, 'binary');
      assert.match(p.layer?.createdBy ?? '', /COPY/);
    }
  });

  it('warns on the broken binaries by name, and on nothing among Debian\'s own executables', () => {
    const warnings = result.notices.map((n) => `${n.level} ${n.detector} ${n.message}`).sort();
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /^warning rust \/usr\/local\/bin\/bad-section: \.dep-v0 section does not inflate/);
    assert.match(warnings[1]!, /^warning rust \/usr\/local\/bin\/truncated: truncated ELF/);
  });

  it('in a directory, reads the binary and Cargo.lock files, and warns on a broken Cargo.lock', async () => {
    const dir = join(work, 'dir');
    await mkdir(join(dir, 'app/bin'), { recursive: true });
    await mkdir(join(dir, 'tool'), { recursive: true });
    await copyFile(join(context, 'bin/hello-audit'), join(dir, 'app/bin/hello-audit'));
    await chmod(join(dir, 'app/bin/hello-audit'), 0o755);
    await copyFile(built.lock, join(dir, 'app/Cargo.lock'));
    await copyFile(join(FILES, 'Cargo.lock'), join(dir, 'tool/Cargo.lock'));
    await copyFile(join(FILES, 'broken-Cargo.lock'), join(dir, 'Cargo.lock'));
    const scanned = await scanDirectory(dir, { detectors: [rustDetector] });
    const at = (location: string) => scanned.packages.filter((p) => p.location === location).map((p) => p.purl).sort();
    assert.deepEqual(scanned.packages.filter((p) => p.evidence === 'binary').map((p) => `${p.purl}${p.scope ? ` ${p.scope}` : ''}`).sort(), expected);
    assert.deepEqual(at('/app/Cargo.lock'), ['pkg:cargo/hello-audit@0.1.0']);
    assert.equal(at('/tool/Cargo.lock').length, 9);
    assert.deepEqual(scanned.notices.map((n) => n.message.split(':')[0]), ['/Cargo.lock']);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parseCargoLock } from '../../src/modules/detector/rust/cargo-lock.js';
import { inspectRustBinary } from '../../src/modules/detector/rust/inspector.js';
import { rustDetector } from '../../src/modules/detector/rust/index.js';
import { AUDIT_DATA, buildAuditableBinary } from '../fixtures/rust-files/build-binary.js';

const exec = promisify(execFile);
const FILES = fileURLToPath(new URL('../fixtures/rust-files/', import.meta.url));

/** Streams a buffer in small chunks, as a layer tar would, so markers straddle chunk boundaries. */
const stream = (data: Buffer, chunk = 4093) => Readable.from((function* () {
  for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
})());
const inspect = (data: Buffer) => inspectRustBinary(stream(data), { path: '/x', size: data.length, mode: 0o755 });

describe('Cargo.lock', () => {
  it('reads every [[package]] of a realistic lockfile', () => {
    const crates = parseCargoLock(readFileSync(join(FILES, 'Cargo.lock'), 'utf8'));
    assert.ok(Array.isArray(crates));
    assert.deepEqual(crates.map((c) => `${c.name}@${c.version}${c.source ? '' : ' (workspace)'}`), [
      'aho-corasick@1.1.2', 'bstr@1.8.0', 'grep-cli@0.1.10 (workspace)', 'globset@0.4.14', 'log@0.4.20', 'memchr@2.6.4',
      'regex-automata@0.4.3', 'regex-syntax@0.8.2', 'serde@1.0.193',
    ]);
  });
  it('explains broken TOML and foreign content', () => {
    assert.match(parseCargoLock(readFileSync(join(FILES, 'broken-Cargo.lock'), 'utf8')) as string, /^not valid TOML/);
    assert.match(parseCargoLock('[[package]]\nname = "x"\n') as string, /^unexpected content: package\.0\.version/);
  });
});

describe('cargo-auditable binaries', () => {
  let work: string;
  let built: { plain: string; audited: string; lock: string };
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-rust-'));
    built = await buildAuditableBinary(work);
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('finds the section objdump shows and reads back the embedded crates', async () => {
    const { stdout } = await exec('objdump', ['-h', built.audited]);
    assert.match(stdout, /\.dep-v0/);
    const crates = await inspect(await readFile(built.audited));
    const expected = AUDIT_DATA.packages.map((p) => ({ name: p.name, version: p.version, source: p.source, build: p.kind === 'build', root: p.root === true }));
    assert.deepEqual(crates, expected);
  });
  it('reads the lockfile cargo wrote for the crate', async () => {
    assert.deepEqual(parseCargoLock(await readFile(built.lock, 'utf8')), [{ name: 'hello-audit', version: '0.1.0' }]);
  });
  it('ignores an ELF without the section and files that are not ELF', async () => {
    assert.equal(await inspect(await readFile(built.plain)), undefined);
    assert.equal(await inspect(Buffer.from('#!/bin/sh\necho .dep-v0\n'.repeat(100))), undefined);
  });
  it('throws (a warning for the scan) on a truncated ELF and on a section that does not inflate or inflates too far', async () => {
    const whole = await readFile(built.audited);
    await assert.rejects(inspect(whole.subarray(0, whole.length - 200)), /truncated ELF/);
    const notZlib = await buildAuditableBinary(join(work, 'bad'), Buffer.from('this is not zlib data'));
    await assert.rejects(inspect(await readFile(notZlib.audited)), /\.dep-v0 section does not inflate/);
    const bomb = await buildAuditableBinary(join(work, 'bomb'), deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    await assert.rejects(inspect(await readFile(bomb.audited)), /inflates to more than/);
    const notJson = await buildAuditableBinary(join(work, 'json'), deflateSync(Buffer.from('{"packages": [{"name": "x"}]}')));
    await assert.rejects(inspect(await readFile(notJson.audited)), /not cargo-auditable data/);
  });
  it('inspects executables only, within the size cap', () => {
    assert.equal(rustDetector.inspect!('usr/bin/x', { size: 500_000, mode: 0o755 }), inspectRustBinary);
    assert.equal(rustDetector.inspect!('usr/share/x', { size: 500_000, mode: 0o644 }), undefined);
    assert.equal(rustDetector.inspect!('usr/bin/huge', { size: 65 * 1024 * 1024, mode: 0o755 }), undefined);
  });
  it('turns inspections into packages with the binary as location and build dependencies as dev scope', async () => {
    const value = await inspect(await readFile(built.audited));
    const fs = { layers: [{ index: 0, diffId: 'sha256:aa', digest: 'sha256:aa', mediaType: 'x', size: 0 }], capturedPaths: () => [] } as never;
    const result = await rustDetector.detect({ fs, target: 'image', inspections: [{ path: '/usr/local/bin/hello-audit', layer: 0, value }] });
    assert.deepEqual(result.packages!.map((p) => [p.purl, p.evidence, p.location, p.scope ?? '', p.layer?.diffId]), [
      ['pkg:cargo/hello-audit@0.1.0', 'binary', '/usr/local/bin/hello-audit', '', 'sha256:aa'],
      ['pkg:cargo/itoa@1.0.11', 'binary', '/usr/local/bin/hello-audit', '', 'sha256:aa'],
      ['pkg:cargo/cc@1.0.83', 'binary', '/usr/local/bin/hello-audit', 'dev', 'sha256:aa'],
    ]);
  });
});

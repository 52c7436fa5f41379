/**
 * The secret scanner run as a layer-walk inspector over a real multi-layer image (built FROM the
 * Debian test base; needs the Docker engine) and over a directory: deleted and overwritten files,
 * ENV and history, a binary file and a file over the size limit.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import type { Notice } from '../../src/core/package.js';
import { buildDirectoryView } from '../../src/image/directory-view.js';
import type { LayeredView } from '../../src/image/view.js';
import { buildView } from '../../src/image/walker.js';
import { maskSecret } from '../../src/modules/secrets/index.js';
import { collectSecretFindings, layersWithSecretCommands, secretInspectors, SECRET_INSPECTOR_ID } from '../../src/scan/secret-scan.js';
import { readText } from '../../src/scan/secrets/read-text.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import type { ImageSource } from '../../src/sources/types.js';
import { cachedImage } from '../support/images.js';
import { assertMasked } from '../secrets/assert-masked.js';
import { ALNUM, UPPER_DIGITS, fake } from '../secrets/fake.js';

const TARGET = 'bulwark-test/secret-scan';
const MAX = 300_000;

const deletedToken = `ghp_${fake('layers-deleted', ALNUM, 36)}`;
const keptKeyId = `AKIA${fake('layers-kept', UPPER_DIGITS, 16)}`;
const overwrittenToken = `glpat-${fake('layers-overwritten', ALNUM, 20)}`;
const dupToken = `xoxb-${fake('layers-dup-a', '0123456789', 12)}-${fake('layers-dup-b', ALNUM, 24)}`;
const binaryToken = `npm_${fake('layers-binary', ALNUM, 36)}`;
const largeToken = `sk_live_${fake('layers-large', ALNUM, 24)}`;
const tailToken = `ghp_${fake('layers-tail', ALNUM, 36)}`;
const envPassword = fake('layers-env', ALNUM, 16);
const runPassword = fake('layers-run', ALNUM, 14);
const ALL_SECRETS = [deletedToken, keptKeyId, overwrittenToken, dupToken, binaryToken, largeToken, tailToken, envPassword, runPassword];

/** 200 KB of log lines, the secret on the last one: it arrives in a later chunk than the first. */
const TAIL_LINES = 4000;
const tailLog = `${Array.from({ length: TAIL_LINES - 1 }, (_, i) => `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z info request ${i} served in 12ms`).join('\n')}\nGITHUB_TOKEN=${tailToken}\n`;

const DOCKERFILE = `ARG BASE
FROM \${BASE}
ENV DB_PASSWORD=${envPassword}
COPY app/ /app/
RUN rm /app/deleted.env && echo 'plain text now' > /app/overwritten.env && touch /app/dup.env
RUN echo "postgres://app:${runPassword}@db:5432/app" > /dev/null && echo done > /app/ran
`;

/** A small ELF-like blob: NUL bytes in the first 8 KiB, then a token-shaped string. */
const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64), Buffer.from(`\nNPM_TOKEN=${binaryToken}\n`)]);
/** Over the scan's limit, with a live-looking key the scanner must not read. */
const large = `${'x'.repeat(MAX)}\nstripe=${largeToken}\n`;

async function writeContext(dir: string): Promise<void> {
  await mkdir(join(dir, 'app'), { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  await writeFile(join(dir, 'app', 'deleted.env'), `# removed by a later layer\nGITHUB_TOKEN=${deletedToken}\n`);
  await writeFile(join(dir, 'app', 'kept.env'), `region=eu-west-1\naws_access_key_id=${keptKeyId}\n`);
  await writeFile(join(dir, 'app', 'overwritten.env'), `GITLAB_TOKEN=${overwrittenToken}\n`);
  await writeFile(join(dir, 'app', 'dup.env'), `SLACK_TOKEN=${dupToken}\n`);
  await writeFile(join(dir, 'app', 'blob.bin'), binary);
  await writeFile(join(dir, 'app', 'large.txt'), large);
  await writeFile(join(dir, 'app', 'tail.log'), tailLog);
}

const appFindings = (findings: Finding[]): Array<[string, number | undefined, string, number | undefined]> =>
  findings
    .filter((f) => f.location.path?.startsWith('/app/'))
    .map((f) => [f.location.path!, f.location.line, f.id, f.location.layer?.index]);

function assertNothingUnmasked(findings: Finding[], notices: Notice[]): void {
  for (const secret of ALL_SECRETS) assertMasked(findings, secret);
  const text = JSON.stringify(notices);
  for (const secret of ALL_SECRETS) assert.ok(!text.includes(secret), 'a notice shows a secret');
}

describe('secret scanning during the layer walk of a real image', () => {
  let work: string;
  let source: ImageSource;
  let view: LayeredView;
  let findings: Finding[];
  let notices: Notice[];
  let appLayer: number;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-secret-scan-'));
    const context = join(work, 'context');
    await writeContext(context);
    const image = await cachedImage('secret-scan', context);
    source = await openInput(image.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    view = await buildView(source, { wants: () => false, inspectors: secretInspectors({ target: TARGET, maxFileSize: MAX }) });
    ({ findings, notices } = collectSecretFindings(view, source.config, TARGET, { maxFileSize: MAX }));
    appLayer = view.layers.findIndex((l) => l.createdBy?.includes('COPY'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('walks several layers and captures no file whole', () => {
    assert.ok(view.layers.length >= 4, `layers: ${view.layers.length}`);
    assert.ok(appLayer > 0);
    assert.deepEqual(view.capturedPaths(), []);
    assert.deepEqual(view.notices, []);
  });

  it('reports each file secret once, at the layer that added it, with its line', () => {
    assert.deepEqual(appFindings(findings), [
      ['/app/deleted.env', 2, 'BW-SEC-006', appLayer],
      ['/app/dup.env', 1, 'BW-SEC-009', appLayer],
      ['/app/kept.env', 2, 'BW-SEC-001', appLayer],
      ['/app/overwritten.env', 1, 'BW-SEC-008', appLayer],
      ['/app/tail.log', TAIL_LINES, 'BW-SEC-006', appLayer],
    ]);
    for (const f of findings.filter((x) => x.location.path)) assert.equal(f.location.layer?.diffId, view.layers[f.location.layer!.index]!.diffId);
  });

  it('notes a secret removed by a later layer, and not one the final image still holds', () => {
    const removed = /removed or replaced in a later layer/;
    const byPath = (p: string): string => findings.find((f) => f.location.path === p)?.description ?? '';
    assert.match(byPath('/app/deleted.env'), removed);
    assert.match(byPath('/app/overwritten.env'), removed);
    // dup.env was rewritten (same bytes) by a later layer: the secret is still in the final image.
    assert.doesNotMatch(byPath('/app/dup.env'), removed);
    assert.doesNotMatch(byPath('/app/kept.env'), removed);
    const versions = view.allInspections(SECRET_INSPECTOR_ID).filter((i) => i.path === '/app/dup.env');
    assert.equal(versions.length, 2, 'dup.env was inspected in both layers');
  });

  it('finds secrets in ENV and in the history of the layer that ran them', () => {
    const env = findings.find((f) => f.location.resource === 'ENV DB_PASSWORD');
    assert.ok(env, 'ENV DB_PASSWORD is reported');
    assert.equal(env.location.layer, undefined);
    const run = findings.find((f) => f.id === 'BW-SEC-018' && f.location.resource?.startsWith('history['));
    assert.ok(run, 'the URL password in RUN is reported');
    const runLayer = view.layers.findIndex((l) => l.createdBy?.includes('postgres://'));
    assert.equal(run.location.layer?.index, runLayer);
    const index = Number(/history\[(\d+)\]/.exec(run.location.resource!)![1]);
    assert.match(source.config.history![index]!.created_by!, /postgres:\/\//);
    // The layer's command holds the password: the finding names the layer without it.
    assert.equal(run.location.layer?.createdBy, undefined);
    assert.deepEqual([...layersWithSecretCommands(source.config)], [runLayer]);
    const copy = findings.find((f) => f.location.path === '/app/kept.env')!;
    assert.match(copy.location.layer?.createdBy ?? '', /COPY/);
  });

  it('skips the binary file and the file over the limit, in one summary notice', () => {
    const app = view.allInspections(SECRET_INSPECTOR_ID).filter((i) => i.path === '/app/blob.bin' || i.path === '/app/large.txt');
    assert.deepEqual(app.map((i) => [i.path, i.value]), [
      ['/app/blob.bin', { skipped: 'binary', size: binary.length }],
      ['/app/large.txt', { skipped: 'too-large', size: Buffer.byteLength(large) }],
    ]);
    assert.equal(findings.filter((f) => f.location.path === '/app/blob.bin' || f.location.path === '/app/large.txt').length, 0);
    assert.equal(notices.length, 1);
    const m = /skipped (\d+) binary files? and (\d+) files? over 300000 bytes \(--secret-max-file-size\)/.exec(notices[0]!.message);
    assert.ok(m, notices[0]!.message);
    assert.equal(notices[0]!.level, 'info');
    // The Debian base brings its own binaries; every skipped file version is counted once.
    const skipped = view.allInspections(SECRET_INSPECTOR_ID).filter((i) => !Array.isArray(i.value)) as Array<{ value: { skipped: string } }>;
    assert.equal(Number(m[1]), skipped.filter((i) => i.value.skipped === 'binary').length);
    assert.equal(Number(m[2]), skipped.filter((i) => i.value.skipped === 'too-large').length);
    assert.ok(Number(m[1]) > 1);
  });

  it('shows every secret masked and never raw', () => {
    for (const [path, secret] of [['/app/deleted.env', deletedToken], ['/app/kept.env', keptKeyId], ['/app/tail.log', tailToken]] as const) {
      const f = findings.find((x) => x.location.path === path)!;
      assert.ok(f.description?.includes(maskSecret(secret)), `${path}: ${f.description}`);
    }
    assertNothingUnmasked(findings, notices);
  });

  it('gives the same findings on a second walk (deterministic order)', async () => {
    const again = await buildView(source, { wants: () => false, inspectors: secretInspectors({ target: TARGET, maxFileSize: MAX }) });
    assert.deepEqual(collectSecretFindings(again, source.config, TARGET, { maxFileSize: MAX }).findings, findings);
  });
});

describe('secret scanning of a directory', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-secret-dir-'));
    await writeContext(work);
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('reports file secrets without layers, skips binary and large files, honours the allow list', async () => {
    const options = { maxFileSize: MAX, allowList: { paths: ['app/kept.env'] } };
    const view = await buildDirectoryView(work, { wants: () => false, inspectors: secretInspectors({ target: work, ...options }) });
    const { findings, notices } = collectSecretFindings(view, undefined, work, options);
    assert.deepEqual(appFindings(findings), [
      ['/app/deleted.env', 2, 'BW-SEC-006', undefined],
      ['/app/dup.env', 1, 'BW-SEC-009', undefined],
      ['/app/overwritten.env', 1, 'BW-SEC-008', undefined],
      ['/app/tail.log', TAIL_LINES, 'BW-SEC-006', undefined],
    ]);
    // The Dockerfile of the context is a file like any other here.
    assert.deepEqual(findings.filter((f) => !f.location.path?.startsWith('/app/')).map((f) => [f.location.path, f.location.line, f.id]), [
      ['/Dockerfile', 3, 'BW-SEC-019'],
      ['/Dockerfile', 6, 'BW-SEC-018'],
    ]);
    assert.deepEqual(notices.map((n) => n.message), [`secret scan skipped 1 binary file and 1 file over ${MAX} bytes (--secret-max-file-size)`]);
    assert.deepEqual(view.capturedPaths(), []);
    assertNothingUnmasked(findings, notices);
  });
});

describe('readText', () => {
  const chunks = (...parts: Array<string | Buffer>): Readable => Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)), { objectMode: false });

  it('takes a NUL in a later chunk within the first 8 KiB for binary, and drains the rest', async () => {
    const stream = chunks('a'.repeat(5000), Buffer.concat([Buffer.from('b'.repeat(3000)), Buffer.from([0])]), 'c'.repeat(100_000));
    assert.deepEqual(await readText(stream, 108_001, MAX), { skipped: 'binary' });
    await finished(stream);
    assert.ok(stream.readableEnded);
  });

  it('reads a NUL past the first 8 KiB as text, joining the chunks', async () => {
    const text = await readText(chunks('a'.repeat(8192), Buffer.from([0]), 'tail'), 8197, MAX);
    assert.ok('text' in text);
    assert.equal(text.text.length, 8197);
    assert.equal(text.text.subarray(8193).toString(), 'tail');
  });

  it('stops at the limit even when the size said less', async () => {
    assert.deepEqual(await readText(chunks('a'.repeat(200), 'b'.repeat(200)), 10, 300), { skipped: 'too-large' });
  });
});

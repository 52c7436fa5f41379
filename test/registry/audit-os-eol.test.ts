/**
 * ManifestFacts.osEol (BW-REG-013) gathered from a REAL docker-registry: each image's os-release is looked for by
 * streaming its layers top down through the blob endpoint (RegistryApi.openBlob, digest verified), once per layer
 * digest per audit, and judged with the image rules' end-of-life code. Requests are counted by a node:http proxy.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

import type { Finding } from '../../src/core/finding.js';
import { RegistryApi } from '../../src/registry/api/index.js';
import { gatherAuditFacts, type GatherAuditOptions, type GatheredAudit } from '../../src/registry/audit/gather.js';
import { auditRegistry, type ManifestFacts } from '../../src/registry/audit/index.js';
import { judgeOsEol, readLayerOsRelease } from '../../src/registry/audit/os-release.js';
import { loadEolData } from '../../src/modules/eol/index.js';
import { startFaultProxy, type FaultProxy } from '../support/registry-faults.js';
import { OCI_MANIFEST, pushBlob, pushManifest, sha256, startRegistry, type RunningRegistry } from '../support/registry.js';

delete process.env.BULWARK_USERNAME;
delete process.env.BULWARK_PASSWORD;

const NOW = new Date('2026-01-01T00:00:00Z');
const BUSTER = 'PRETTY_NAME="Debian GNU/Linux 10 (buster)"\nNAME="Debian GNU/Linux"\nVERSION_ID="10"\nVERSION="10 (buster)"\nVERSION_CODENAME=buster\nID=debian\n';
const BOOKWORM = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

type Entry = { name: string; content: string | Buffer } | { name: string; link: string };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if ('link' in e) pack.entry({ name: e.name, type: 'symlink', linkname: e.link, mtime: new Date(0) });
    else pack.entry({ name: e.name, mode: 0o644, mtime: new Date(0) }, e.content);
  }
  pack.finalize();
  return buffer(pack);
}

/** A gzip layer: the same entries give the same blob (gzip of the same tar is deterministic here). */
async function layer(entries: Entry[]): Promise<Buffer> {
  return gzipSync(await tarOf(entries));
}

let serial = 0;
/** Pushes an OCI image of these (already compressed) layers, base first; returns the manifest digest. */
async function pushImage(url: string, repo: string, tag: string, layers: Buffer[]): Promise<string> {
  const tars = layers.map((l) => l);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: NOW.toISOString(), config: { Labels: { n: String(serial++) } }, rootfs: { type: 'layers', diff_ids: [] } }));
  await pushBlob(url, repo, config);
  const digests = await Promise.all(tars.map((b) => pushBlob(url, repo, b)));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: tars.map((b, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digests[i], size: b.length })),
    }),
  );
  return pushManifest(url, repo, tag, OCI_MANIFEST, manifest);
}

const clients: RegistryApi[] = [];
function client(url: string): RegistryApi {
  const c = new RegistryApi({ url, timeoutMs: 5000, dockerConfigPath: '/nonexistent/bulwark-config.json', env: {}, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  clients.push(c);
  return c;
}
function gather(url: string, over: Partial<GatherAuditOptions> = {}): Promise<GatheredAudit> {
  return gatherAuditFacts(client(url), { url, staleDays: 90, public: false, anonymous: client(url), now: NOW, ...over });
}
function manifest(r: GatheredAudit, repo: string, digest: string): ManifestFacts {
  const m = r.facts.repositories.find((x) => x.name === repo)?.manifests.find((x) => x.digest === digest);
  assert.ok(m, `${repo}@${digest} gathered`);
  return m;
}
/** BW-REG-013 findings about `<repo>:<tag>` (the rule names a tagged image by its first tag). */
const reg013 = (findings: Finding[], resource: string): Finding[] => findings.filter((f) => f.id === 'BW-REG-013' && f.location?.resource === resource);

describe('osEol from os-release in a real registry', { timeout: 180_000 }, () => {
  let reg: RunningRegistry;
  let proxy: FaultProxy;
  const d: Record<string, string> = {};
  let busterBase: Buffer;
  let busterBaseDigest = '';
  let shadowedBaseDigest = '';
  let bigLayerDigest = '';
  let bareLayerDigest = '';

  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    proxy = await startFaultProxy(reg.url);
    // Debian's way: etc/os-release is a symlink to ../usr/lib/os-release, listed before its target.
    busterBase = await layer([
      { name: 'etc/debian_version', content: '10.13\n' },
      { name: 'etc/os-release', link: '../usr/lib/os-release' },
      { name: 'usr/lib/os-release', content: BUSTER },
      { name: 'bin/sh', content: 'not really a shell' },
    ]);
    busterBaseDigest = sha256(busterBase);
    const bookwormBase = await layer([{ name: 'etc/os-release', content: BOOKWORM }]);
    const shadowedBase = await layer([{ name: 'etc/os-release', content: BUSTER }, { name: 'etc/shadowed', content: 'x' }]);
    shadowedBaseDigest = sha256(shadowedBase);
    const app = (n: string) => layer([{ name: `app/${n}`, content: `app ${n}` }]);
    const big = gzipSync(await tarOf([{ name: 'app/blob.bin', content: randomBytes(20_000) }]));
    bigLayerDigest = sha256(big);
    const bare = await layer([{ name: 'bin/hello', content: 'static binary' }]);
    bareLayerDigest = sha256(bare);

    d.old = await pushImage(reg.url, 'team/old', '1.0', [busterBase, await app('old')]);
    d.worker = await pushImage(reg.url, 'team/worker', '1.0', [busterBase, await app('worker')]);
    d.fresh = await pushImage(reg.url, 'team/fresh', '1.0', [bookwormBase, await app('fresh')]);
    d.bare = await pushImage(reg.url, 'team/bare', '1.0', [bare]);
    // The upper layer rewrites os-release: the base below is never read.
    d.upgraded = await pushImage(reg.url, 'team/upgraded', '1.0', [shadowedBase, await layer([{ name: 'etc/os-release', content: BOOKWORM }])]);
    // A whiteout of os-release in an upper layer: keep looking down (rough).
    d.whiteout = await pushImage(reg.url, 'team/whiteout', '1.0', [busterBase, await layer([{ name: 'etc/.wh.os-release', content: '' }])]);
    d.big = await pushImage(reg.url, 'team/big', '1.0', [busterBase, big]);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.stop();
    await reg?.stop();
  });

  const blobGets = (digest: string): number => proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/') && r.path.endsWith(digest)).length;

  it('Debian 10 images get BW-REG-013, Debian 12 does not; a shared base layer is read once per audit', async () => {
    proxy.reset(true);
    const r = await gather(proxy.url);
    assert.deepEqual(r.warnings, []);
    const old = manifest(r, 'team/old', d.old!);
    assert.deepEqual(old.osEol, { release: 'Debian 10 (Buster)', status: 'eol', eolDate: '2024-06-30' });
    assert.equal(manifest(r, 'team/worker', d.worker!).osEol?.status, 'eol');
    assert.equal(manifest(r, 'team/whiteout', d.whiteout!).osEol?.status, 'eol');
    assert.deepEqual(manifest(r, 'team/fresh', d.fresh!).osEol, { release: 'Debian 12 (Bookworm)', status: 'supported', eolDate: '2028-06-30' });
    assert.equal(manifest(r, 'team/upgraded', d.upgraded!).osEol?.status, 'supported');

    const findings = auditRegistry(r.facts, proxy.url, NOW);
    assert.equal(reg013(findings, 'team/old:1.0').length, 1);
    assert.match(reg013(findings, 'team/old:1.0')[0]!.description ?? '', /Debian 10 \(Buster\) reached end of life on 2024-06-30/);
    assert.equal(reg013(findings, 'team/worker:1.0').length, 1);
    assert.equal(reg013(findings, 'team/fresh:1.0').length, 0);
    assert.equal(reg013(findings, 'team/upgraded:1.0').length, 0);

    // Four images (three repositories) sit on the buster base: one GET of it in the whole audit.
    assert.equal(blobGets(busterBaseDigest), 1);
    // The rewritten os-release in the top layer ends the walk: the base below it is never fetched.
    assert.equal(blobGets(shadowedBaseDigest), 0);
  });

  it('an image without os-release gets no osEol, no finding and no warning', async () => {
    proxy.reset(true);
    const r = await gather(proxy.url, { repos: (n) => n === 'team/bare' });
    assert.deepEqual(r.warnings, []);
    assert.equal(manifest(r, 'team/bare', d.bare!).osEol, undefined);
    assert.equal(reg013(auditRegistry(r.facts, proxy.url, NOW), 'team/bare:1.0').length, 0);
    // Read to its end (nothing to find), i.e. digest-verified.
    assert.equal(blobGets(bareLayerDigest), 1);
  });

  it('a layer over the size bound is skipped with a warning; the layers below still tell the OS', async () => {
    proxy.reset(true);
    const r = await gather(proxy.url, { repos: (n) => n === 'team/big', osEolMaxLayerBytes: 5_000 });
    assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
    assert.match(r.warnings[0]!, new RegExp(`team/big@${bigLayerDigest}.*over the 5000-byte bound`));
    assert.equal(blobGets(bigLayerDigest), 0);
    assert.equal(manifest(r, 'team/big', d.big!).osEol?.status, 'eol');
  });

  it('after the per-audit layer count no more layers are read (one warning)', async () => {
    proxy.reset(true);
    const r = await gather(proxy.url, { repos: (n) => n === 'team/old' || n === 'team/fresh', osEolMaxLayers: 1, repoConcurrency: 1 });
    assert.equal(r.warnings.filter((w) => w.includes('1 layers read, no more')).length, 1, r.warnings.join('\n'));
    assert.equal(proxy.requests.filter((x) => x.path.includes('/blobs/') && x.method === 'GET').length, 2 + 1, 'two configs and one layer');
  });

  it('a layer whose bytes do not match its digest is a warning, not a verdict', async () => {
    proxy.reset(true);
    const other = await layer([{ name: 'bin/other', content: 'something else' }]);
    proxy.rules.push({ match: (x) => x.path.endsWith(bareLayerDigest), action: { kind: 'rewrite', fn: (up) => ({ ...up, body: other }) } });
    const r = await gather(proxy.url, { repos: (n) => n === 'team/bare' });
    assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
    assert.match(r.warnings[0]!, /digest mismatch/);
    assert.equal(manifest(r, 'team/bare', d.bare!).osEol, undefined);
  });

  it('osEol: false reads no layer at all', async () => {
    proxy.reset(true);
    const r = await gather(proxy.url, { osEol: false });
    assert.ok(r.facts.repositories.every((repo) => repo.manifests.every((m) => m.osEol === undefined)));
    assert.equal(blobGets(busterBaseDigest), 0);
  });
});

describe('readLayerOsRelease and judgeOsEol', () => {
  it('stops at etc/os-release, follows the usr/lib symlink, notes whiteouts', async () => {
    const plain = await readLayerOsRelease(Readable.from([await layer([{ name: './etc/os-release', content: BOOKWORM }])]), 'plain');
    assert.deepEqual(plain, { etc: { text: BOOKWORM } });
    const linked = await readLayerOsRelease(Readable.from([await tarOf([{ name: 'etc/os-release', link: '/usr/lib/os-release' }, { name: 'usr/lib/os-release', content: BUSTER }])]), 'linked');
    assert.deepEqual(linked, { etc: { link: 'usr/lib/os-release' }, usrLib: { text: BUSTER } });
    const wh = await readLayerOsRelease(Readable.from([await layer([{ name: 'etc/.wh.os-release', content: '' }])]), 'wh');
    assert.deepEqual(wh, { etc: { whiteout: true } });
    await assert.rejects(readLayerOsRelease(Readable.from([Buffer.alloc(20_000, 1)]), 'bounded', 1000), /over the bound/);
  });

  it('judges like BW-IMG-013: Debian LTS date, near-eol, unknown family', () => {
    const eol = loadEolData();
    assert.deepEqual(judgeOsEol({ family: 'debian', version: '10', source: '/etc/os-release' }, { now: NOW, eol }), { release: 'Debian 10 (Buster)', status: 'eol', eolDate: '2024-06-30' });
    assert.equal(judgeOsEol({ family: 'debian', version: '12', source: '/etc/os-release' }, { now: new Date('2028-05-01T00:00:00Z'), eol }).status, 'near-eol');
    assert.deepEqual(judgeOsEol({ family: 'plan9', version: '4', source: '/etc/os-release' }, { now: NOW, eol }), { release: 'plan9 4', status: 'unknown' });
  });
});

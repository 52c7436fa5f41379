/**
 * gatherAuditFacts against REAL docker-registry instances (open and htpasswd) filled with real content: images,
 * a multi-arch index, a Helm chart, a generic ORAS-style artifact, a cosign signature under `sha256-<hex>.sig`, an
 * SBOM with `subject` (plus the referrers tag schema index ORAS writes for registries without the referrers API),
 * untagged manifests; then the registry-audit rules over what was gathered. Faults go through a node:http proxy.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import type { Finding } from '../../src/core/finding.js';
import { RegistryApi, type RegistryApiOptions } from '../../src/registry/api/index.js';
import { gatherAuditFacts, type GatherAuditOptions, type GatheredAudit } from '../../src/registry/audit/gather.js';
import { auditRegistry } from '../../src/registry/audit/index.js';
import { probeTls } from '../../src/registry/audit/tls-probe.js';
import { on, startFaultProxy, type FaultProxy } from '../support/registry-faults.js';
import { OCI_INDEX, OCI_MANIFEST, buildImage, pushBlob, pushManifest, pushOciImage, sha256, startRegistry, type BuiltImage, type RunningRegistry } from '../support/registry.js';

delete process.env.BULWARK_USERNAME;
delete process.env.BULWARK_PASSWORD;

const run = promisify(execFile);
const USER = 'auditor';
const PASS = 'gather-pass-1';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
const EMPTY = 'application/vnd.oci.empty.v1+json';
const OLD = '2020-01-02T03:04:05Z';

let scratch = '';
const clients: RegistryApi[] = [];

function client(url: string, over: Partial<RegistryApiOptions> = {}): RegistryApi {
  const c = new RegistryApi({
    url,
    timeoutMs: 5000,
    dockerConfigPath: join(scratch, 'no-such-config.json'),
    env: {},
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...over,
  });
  clients.push(c);
  return c;
}

async function gather(url: string, over: Partial<GatherAuditOptions> & { creds?: boolean } = {}): Promise<GatheredAudit> {
  const { creds, ...rest } = over;
  const api = client(url, creds ? { username: USER, password: PASS } : {});
  return gatherAuditFacts(api, { url, staleDays: 90, public: false, anonymous: client(url), ...rest });
}

let counter = 0;
/** A real image whose config carries `created`. */
async function image(created: string | undefined): Promise<BuiltImage> {
  const built = await buildImage({ label: `gather-${counter++}`, layers: [{ files: { 'etc/os-release': `ID=test\nVERSION_ID=${counter}\n` } }] });
  if (created === undefined) return built;
  const config = Buffer.from(JSON.stringify({ ...(JSON.parse(built.config.toString()) as object), created }));
  return { ...built, config, configDigest: sha256(config) };
}

interface Pushed {
  digest: string;
  size: number;
}

async function pushImage(url: string, repo: string, tag: string, created: string | undefined): Promise<Pushed> {
  const built = await image(created);
  const pushed = await pushOciImage(url, repo, tag, built);
  return { digest: pushed.digest, size: pushed.manifest.length };
}

/** An image pushed by digest only (like an index child): no tag points at it. */
async function pushImageByDigest(url: string, repo: string, built: BuiltImage): Promise<Pushed> {
  const pushed = await pushOciImage(url, repo, undefined, built);
  return { digest: pushed.digest, size: pushed.manifest.length };
}

/** An OCI manifest with the given config/layers/extras, pushed under `ref` (a tag, or "digest" to push untagged). */
async function pushArtifact(
  url: string,
  repo: string,
  ref: string,
  spec: { configType: string; config?: string; layerType: string; layer: string; artifactType?: string; subject?: Pushed; layerAnnotations?: Record<string, string> },
): Promise<Pushed> {
  const config = Buffer.from(spec.config ?? '{}');
  await pushBlob(url, repo, config);
  const layer = Buffer.from(spec.layer);
  const layerDigest = await pushBlob(url, repo, layer);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      ...(spec.artifactType ? { artifactType: spec.artifactType } : {}),
      config: { mediaType: spec.configType, digest: sha256(config), size: config.length },
      layers: [{ mediaType: spec.layerType, digest: layerDigest, size: layer.length, ...(spec.layerAnnotations ? { annotations: spec.layerAnnotations } : {}) }],
      ...(spec.subject ? { subject: { mediaType: OCI_MANIFEST, digest: spec.subject.digest, size: spec.subject.size } } : {}),
    }),
  );
  const digest = await pushManifest(url, repo, ref === 'digest' ? sha256(body) : ref, OCI_MANIFEST, body);
  return { digest, size: body.length };
}

const sigTag = (d: string): string => `${d.replace(':', '-')}.sig`;

async function pushSignature(url: string, repo: string, subject: Pushed): Promise<Pushed> {
  return pushArtifact(url, repo, sigTag(subject.digest), {
    configType: 'application/vnd.oci.image.config.v1+json',
    config: JSON.stringify({ architecture: '', os: '', rootfs: { type: 'layers', diff_ids: [] } }),
    layerType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    layer: JSON.stringify({ critical: { image: { 'docker-manifest-digest': subject.digest }, type: 'cosign container image signature' } }),
    layerAnnotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQDFmJxWmNtNDzhCjtM7h8bXxC7LZ0mvyTaNQrQ=' },
  });
}

interface Content {
  signed: Pushed;
  unsigned: Pushed;
  fresh: Pushed;
  index: Pushed;
  children: Pushed[];
  sig: Pushed;
  sbom: Pushed;
  helm: Pushed;
  generic: Pushed;
  hidden: Pushed;
  orphan: Pushed;
  orphanSig: Pushed;
}

/** Everything the audit should see, pushed through `url` (the registry, or a proxy adding credentials). */
async function populate(url: string): Promise<Content> {
  const signed = await pushImage(url, 'app/web', '1.0', OLD);
  const sig = await pushSignature(url, 'app/web', signed);
  // SBOM attached by subject, pushed by digest like `oras attach`; a registry without the referrers API also gets
  // the tag schema's `sha256-<hex>` index listing it (what oras writes there).
  const sbom = await pushArtifact(url, 'app/web', 'digest', {
    configType: EMPTY,
    artifactType: 'application/spdx+json',
    layerType: 'application/spdx+json',
    layer: JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'web' }),
    subject: signed,
  });
  const referrers = await fetch(`${url}/v2/app/web/referrers/${signed.digest}`);
  if (referrers.status === 404) {
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: sbom.digest, size: sbom.size, artifactType: 'application/spdx+json' }] }),
    );
    await pushManifest(url, 'app/web', signed.digest.replace(':', '-'), OCI_INDEX, index);
  }

  const unsigned = await pushImage(url, 'app/api', '2.0', OLD);
  const fresh = await pushImage(url, 'app/api', 'fresh', new Date().toISOString());
  // Pushed by digest, tagged by nothing, the subject of nothing: the distribution API cannot reveal it.
  const hidden = await pushArtifact(url, 'app/api', 'digest', { configType: EMPTY, artifactType: 'application/vnd.example.hidden.v1', layerType: 'application/octet-stream', layer: 'hidden' });
  // An untagged image whose signature tag survived: reachable from the `.sig` tag only.
  const orphanBuilt = await image(OLD);
  const orphanTmp = await pushOciImage(url, 'app/api', 'will-move', orphanBuilt);
  const orphan = { digest: orphanTmp.digest, size: orphanTmp.manifest.length };
  await pushOciImage(url, 'app/api', 'will-move', await image(OLD)); // the tag moves on: orphan is untagged now
  const orphanSig = await pushSignature(url, 'app/api', orphan);

  // A multi-arch index: children pushed by digest, the index tagged.
  const children: Pushed[] = [];
  for (const arch of ['amd64', 'arm64']) {
    const built = await buildImage({ label: `gather-${counter++}`, architecture: arch, layers: [{ files: { arch } }] });
    const config = Buffer.from(JSON.stringify({ ...(JSON.parse(built.config.toString()) as object), created: OLD }));
    const withCreated = { ...built, config, configDigest: sha256(config) };
    children.push(await pushImageByDigest(url, 'app/multi', withCreated));
  }
  const indexBody = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map((c, i) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.size, platform: { os: 'linux', architecture: i ? 'arm64' : 'amd64' } })),
    }),
  );
  const index = { digest: await pushManifest(url, 'app/multi', 'latest', OCI_INDEX, indexBody), size: indexBody.length };

  const helm = await pushArtifact(url, 'charts/web', '0.1.0', {
    configType: 'application/vnd.cncf.helm.config.v1+json',
    config: JSON.stringify({ name: 'web', version: '0.1.0', apiVersion: 'v2' }),
    layerType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    layer: 'not really a tgz',
  });
  const generic = await pushArtifact(url, 'files/blob', 'v1', {
    configType: EMPTY,
    artifactType: 'application/vnd.example.report.v1',
    layerType: 'application/vnd.oci.image.layer.v1.tar',
    layer: 'quarterly numbers',
  });
  return { signed, unsigned, fresh, index, children, sig, sbom, helm, generic, hidden, orphan, orphanSig };
}

const ids = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.id))].sort();
const of = (findings: Finding[], id: string): Finding[] => findings.filter((f) => f.id === id);
const mentions = (findings: Finding[], id: string, text: string): boolean => of(findings, id).some((f) => JSON.stringify(f).includes(text));

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bulwark-gather-'));
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await rm(scratch, { recursive: true, force: true });
});

describe('gatherAuditFacts on an open registry', { timeout: 180_000 }, () => {
  let reg: RunningRegistry;
  let c: Content;
  let result: GatheredAudit;
  let findings: Finding[];

  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    c = await populate(reg.url);
    const progress: string[] = [];
    result = await gather(reg.url, { onProgress: (m) => progress.push(m) });
    assert.ok(progress.some((m) => m.startsWith('repository app/web')), progress.join(' | '));
    findings = auditRegistry(result.facts, reg.url, new Date());
  });
  after(async () => reg?.stop());

  it('gathers without warnings', () => {
    assert.deepEqual(result.warnings, []);
  });

  it('ping, transport, server identity and the anonymous probes', () => {
    const f = result.facts;
    assert.equal(f.url, reg.url);
    assert.equal(f.loopback, true);
    assert.deepEqual(f.transport, { scheme: 'http' });
    assert.equal(f.ping.status, 200);
    assert.equal(f.ping.anonymousOk, true);
    assert.equal(f.ping.apiVersion, 'registry/2.0');
    assert.equal(f.server?.product, 'distribution');
    assert.equal(f.catalogAnonymous, true);
    assert.deepEqual(
      f.repositories.map((r) => r.name),
      ['app/api', 'app/multi', 'app/web', 'charts/web', 'files/blob'],
    );
    assert.ok(f.repositories.every((r) => r.anonymousPull === true));
  });

  it('tags resolve to digests; attachments, children and sig-tag subjects are gathered untagged', () => {
    const web = result.facts.repositories.find((r) => r.name === 'app/web')!;
    assert.deepEqual(
      web.tags.filter((t) => !t.tag.startsWith('sha256-')),
      [{ tag: '1.0', digest: c.signed.digest }],
    );
    const cls = new Map(web.manifests.map((m) => [m.digest, m.class]));
    assert.equal(cls.get(c.signed.digest)?.class, 'image');
    assert.equal(cls.get(c.sig.digest)?.class, 'signature');
    assert.equal(cls.get(c.sig.digest)?.attachedTo, c.signed.digest);
    assert.equal(cls.get(c.sbom.digest)?.class, 'sbom');
    assert.equal(cls.get(c.sbom.digest)?.attachedTo, c.signed.digest);
    const signedFacts = web.manifests.find((m) => m.digest === c.signed.digest)!;
    assert.equal(signedFacts.created, OLD);
    assert.ok(signedFacts.referrers?.some((r) => r.digest === c.sbom.digest), JSON.stringify(signedFacts.referrers));

    const multi = result.facts.repositories.find((r) => r.name === 'app/multi')!;
    const idx = multi.manifests.find((m) => m.digest === c.index.digest)!;
    assert.equal(idx.class.class, 'index');
    assert.deepEqual(idx.children, c.children.map((x) => x.digest));
    for (const child of c.children) assert.equal(multi.manifests.find((m) => m.digest === child.digest)?.created, OLD);

    const api = result.facts.repositories.find((r) => r.name === 'app/api')!;
    assert.ok(api.manifests.some((m) => m.digest === c.orphan.digest && m.class.class === 'image'), 'the .sig tag leads to the untagged image');
    assert.ok(!api.manifests.some((m) => m.digest === c.hidden.digest), 'an untagged manifest nothing points at is invisible to the API');
  });

  it('open registry: BW-REG-001, 002 and 003 (per repository)', () => {
    assert.equal(of(findings, 'BW-REG-001').length, 1);
    assert.equal(of(findings, 'BW-REG-002').length, 1);
    assert.equal(of(findings, 'BW-REG-003').length, 5);
    assert.ok(!ids(findings).includes('BW-REG-004'), 'plain http on loopback is fine');
  });

  it('the generic artifact is registry misuse (BW-REG-008), the signature and SBOM are not; the chart is BW-REG-009', () => {
    const misuse = of(findings, 'BW-REG-008');
    assert.equal(misuse.length, 1, JSON.stringify(misuse.map((f) => f.description)));
    assert.ok(mentions(findings, 'BW-REG-008', c.generic.digest));
    assert.ok(!mentions(findings, 'BW-REG-008', c.sig.digest));
    assert.ok(!mentions(findings, 'BW-REG-008', c.sbom.digest));
    assert.ok(mentions(findings, 'BW-REG-009', c.helm.digest));
  });

  it('unsigned images get BW-REG-010, the signed one does not', () => {
    assert.ok(mentions(findings, 'BW-REG-010', c.unsigned.digest));
    assert.ok(mentions(findings, 'BW-REG-010', c.fresh.digest));
    assert.ok(mentions(findings, 'BW-REG-010', c.index.digest));
    assert.ok(!mentions(findings, 'BW-REG-010', c.signed.digest));
    for (const child of c.children) assert.ok(!mentions(findings, 'BW-REG-010', child.digest), 'children are judged through their index');
  });

  it('staleness from the config `created`: 90 days flags the old images only, 0 days flags every dated one', () => {
    assert.ok(mentions(findings, 'BW-REG-011', c.signed.digest));
    assert.ok(mentions(findings, 'BW-REG-011', c.index.digest), 'an index is as old as its newest child');
    assert.ok(!mentions(findings, 'BW-REG-011', c.fresh.digest));
    const zero = auditRegistry({ ...result.facts, options: { ...result.facts.options, staleDays: 0 } }, reg.url, new Date(Date.now() + 60_000));
    for (const d of [c.signed, c.unsigned, c.fresh, c.index]) assert.ok(mentions(zero, 'BW-REG-011', d.digest), d.digest);
  });

  it('the untagged image reachable from its .sig tag is BW-REG-012; attached and child manifests are not', () => {
    assert.ok(mentions(findings, 'BW-REG-012', c.orphan.digest));
    for (const d of [c.sbom, c.sig, c.orphanSig, ...c.children]) assert.ok(!mentions(findings, 'BW-REG-012', d.digest), d.digest);
  });

  it('--public lowers the anonymous-access findings to LOW', async () => {
    const pub = auditRegistry({ ...result.facts, options: { ...result.facts.options, public: true } }, reg.url);
    for (const id of ['BW-REG-001', 'BW-REG-002', 'BW-REG-003']) assert.ok(of(pub, id).every((f) => f.severity === 'LOW'), id);
  });

  it('repos filter and tagsPerRepoLimit', async () => {
    const r = await gather(reg.url, { repos: (n) => n.startsWith('app/'), tagsPerRepoLimit: 1 });
    assert.deepEqual(
      r.facts.repositories.map((x) => x.name),
      ['app/api', 'app/multi', 'app/web'],
    );
    const api = r.facts.repositories.find((x) => x.name === 'app/api')!;
    assert.deepEqual(api.tags.map((t) => t.tag), ['2.0']);
    assert.ok(!api.manifests.some((m) => m.digest === c.orphan.digest), 'sig tags of digests outside the limit are dropped');
    const web = r.facts.repositories.find((x) => x.name === 'app/web')!;
    assert.ok(web.tags.some((t) => t.tag === sigTag(c.signed.digest)), 'sig tags of gathered digests are kept');
    assert.ok(r.warnings.some((w) => w.includes('app/api') && /only the first 1/.test(w)), r.warnings.join('\n'));
  });
});

describe('gatherAuditFacts on an htpasswd registry', { timeout: 180_000 }, () => {
  let reg: RunningRegistry;
  let pusher: FaultProxy;
  let c: Content;
  let result: GatheredAudit;
  let findings: Finding[];

  before(async () => {
    reg = await startRegistry({ kind: 'htpasswd', username: USER, password: PASS });
    pusher = await startFaultProxy(reg.url, { injectAuthorization: BASIC });
    c = await populate(pusher.url);
    result = await gather(reg.url, { creds: true });
    findings = auditRegistry(result.facts, reg.url, new Date());
  });
  after(async () => {
    await pusher?.stop();
    await reg?.stop();
  });

  it('anonymous probes are refused, the authenticated client still sees everything', () => {
    assert.deepEqual(result.warnings, []);
    assert.equal(result.facts.ping.status, 401);
    assert.equal(result.facts.ping.anonymousOk, false);
    assert.equal(result.facts.catalogAnonymous, false);
    assert.equal(result.facts.repositories.length, 5);
    assert.ok(result.facts.repositories.every((r) => r.anonymousPull === false));
  });

  it('no BW-REG-001/002/003; the artifact and signature verdicts are the same as on the open registry', () => {
    for (const id of ['BW-REG-001', 'BW-REG-002', 'BW-REG-003']) assert.equal(of(findings, id).length, 0, id);
    assert.ok(mentions(findings, 'BW-REG-008', c.generic.digest));
    assert.ok(!mentions(findings, 'BW-REG-008', c.sig.digest) && !mentions(findings, 'BW-REG-008', c.sbom.digest));
    assert.ok(mentions(findings, 'BW-REG-010', c.unsigned.digest));
    assert.ok(!mentions(findings, 'BW-REG-010', c.signed.digest));
  });

  it('without credentials the catalog fails: a warning, registry-level facts still gathered', async () => {
    const r = await gather(reg.url);
    assert.equal(r.facts.repositories.length, 0);
    assert.equal(r.facts.ping.status, 401);
    assert.ok(r.warnings.some((w) => w.startsWith('catalog') || /catalog/.test(w)), r.warnings.join('\n'));
  });
});

describe('gatherAuditFacts with failures on single repositories and manifests', { timeout: 180_000 }, () => {
  let reg: RunningRegistry;
  let proxy: FaultProxy;
  let c: Content;

  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    c = await populate(reg.url);
    proxy = await startFaultProxy(reg.url);
  });
  after(async () => {
    await proxy?.stop();
    await reg?.stop();
  });

  it('a wrong digest, a 404 tag list, a 500 config and a stalled referrers call each become a warning; the rest goes on', async () => {
    proxy.reset(true);
    // app/api:2.0 answers a body that does not hash to its digest (E_DIGEST).
    proxy.rules.push({
      match: (r) => r.method === 'GET' && r.path === '/v2/app/api/manifests/2.0',
      action: { kind: 'rewrite', fn: (up) => ({ ...up, body: Buffer.from(up.body.toString().replace('"schemaVersion":2', '"schemaVersion": 2')) }) },
    });
    proxy.rules.push({ match: on('/v2/charts/web/tags/list'), action: { kind: 'status', status: 404, body: '{"errors":[{"code":"NAME_UNKNOWN"}]}' } });
    proxy.rules.push({ match: (r) => r.path.startsWith('/v2/app/multi/blobs/'), action: { kind: 'status', status: 500 } });
    proxy.rules.push({ match: (r) => r.path.startsWith('/v2/app/web/referrers/'), action: { kind: 'stall' } });
    const r = await gather(proxy.url, {});
    const w = r.warnings.join('\n');
    assert.ok(r.warnings.some((x) => x.includes('app/api:2.0') && /digest/i.test(x)), w);
    assert.ok(r.warnings.some((x) => x.includes('charts/web')), w);
    assert.ok(r.warnings.some((x) => x.includes('app/multi@') && x.includes('config')), w);
    assert.ok(r.warnings.some((x) => x.includes('app/web@') && x.includes('referrers')), w);
    assert.ok(r.warnings.every((x) => !x.includes('\n')));

    const repo = (n: string) => r.facts.repositories.find((x) => x.name === n)!;
    assert.deepEqual(repo('app/api').tags.map((t) => t.tag).filter((t) => !t.startsWith('sha256-')), ['fresh', 'will-move']);
    assert.ok(repo('app/api').manifests.some((m) => m.digest === c.fresh.digest && m.created !== undefined));
    assert.deepEqual(repo('charts/web').tags, []);
    assert.ok(repo('app/multi').manifests.every((m) => m.created === undefined));
    assert.equal(repo('app/multi').manifests.find((m) => m.digest === c.index.digest)?.children?.length, 2);
    assert.ok(repo('files/blob').manifests.some((m) => m.digest === c.generic.digest));
    // The signature still counts through its tag even without referrers.
    const findings = auditRegistry(r.facts, proxy.url);
    assert.ok(!mentions(findings, 'BW-REG-010', c.signed.digest));
  });

  it('a registry that does not answer at all rejects (nothing to audit)', async () => {
    proxy.reset(true);
    proxy.rules.push({ match: on('/v2/'), action: { kind: 'status', status: 503 } });
    await assert.rejects(gather(proxy.url), /GET \/v2\/ answered 503/);
  });
});

describe('probeTls', { timeout: 60_000 }, () => {
  let server: TlsServer;
  let port = 0;
  let cert = '';

  before(async () => {
    const key = join(scratch, 'tls.key');
    const crt = join(scratch, 'tls.crt');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '3', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
    cert = await readFile(crt, 'utf8');
    server = createTlsServer({ key: await readFile(key, 'utf8'), cert }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a self-signed certificate is invalid, with the reason and notAfter', async () => {
    const t = await probeTls('localhost', port);
    assert.equal(t.valid, false);
    assert.equal(t.error, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    const days = (Date.parse(t.expiresAt!) - Date.now()) / 86_400_000;
    assert.ok(days > 2 && days <= 3.01, t.expiresAt);
  });

  it('trusted and matching host is valid; the same certificate for another name is not', async () => {
    assert.deepEqual(Object.keys(await probeTls('localhost', port, { ca: cert })).sort(), ['expiresAt', 'valid']);
    assert.equal((await probeTls('localhost', port, { ca: cert })).valid, true);
    const other = await probeTls('127.0.0.1', port, { ca: cert });
    assert.equal(other.valid, false);
    assert.equal(other.error, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('no TLS on the other end rejects', async () => {
    const plain = await startRegistry({ kind: 'open' });
    try {
      await assert.rejects(probeTls('127.0.0.1', Number(new URL(plain.url).port), { timeoutMs: 3000 }));
    } finally {
      await plain.stop();
    }
  });
});

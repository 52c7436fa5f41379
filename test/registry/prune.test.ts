/**
 * `bulwark registry prune` against a REAL docker-registry: dated images (configs with chosen `created` times), an
 * ECR-format policy, a dry run that changes nothing, an apply that deletes exactly the planned digests, protected
 * tags, index children, unreadable push times, and deletions the registry refuses.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RegistryApi } from '../../src/registry/api/index.js';
import { applyPrune, prunePlan, renderPrunePlan, shortDigest, unreferencedBytes, type PruneManifest, type PrunePlanResult } from '../../src/registry/prune/index.js';
import { loadRetentionPolicy, type RetentionPolicy } from '../../src/registry/retention/index.js';
import { on, startFaultProxy, type FaultProxy } from '../support/registry-faults.js';
import { OCI_INDEX, OCI_MANIFEST, layerTar, pushBlob, pushManifest, sha256, startRegistry, type RunningRegistry } from '../support/registry.js';

const NOW = new Date('2026-06-01T00:00:00Z');

const POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'keep the two newest releases',
      selection: { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'imageCountMoreThan', countNumber: 2 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'dev builds live 30 days',
      selection: { tagStatus: 'tagged', tagPatternList: ['dev-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 3,
      description: 'one untagged image at most',
      selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 },
      action: { type: 'expire' },
    },
  ],
  bulwarkProtectedTags: ['latest'],
};

interface Pushed {
  digest: string;
  /** Config + unique layer bytes (gzip), what deleting this image alone frees. */
  ownBytes: number;
}

let reg: RunningRegistry;
let dir: string;
let policy: RetentionPolicy;
let api: RegistryApi;

/** Pushes an image whose config says `created` (undefined: no created field), with a layer shared by all and one of its own. */
async function pushDated(url: string, repo: string, tags: string[], created: string | undefined, label: string): Promise<Pushed> {
  const shared = gzipSync(await layerTar({ 'etc/os-release': 'ID=test\n' }));
  const own = gzipSync(await layerTar({ [`app/${label}`]: `${label}\n` }));
  const config = Buffer.from(
    JSON.stringify({
      ...(created ? { created } : {}),
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'test.label': label } },
      rootfs: { type: 'layers', diff_ids: [sha256(label), sha256('shared')] },
    }),
  );
  await pushBlob(url, repo, config);
  const sharedDigest = await pushBlob(url, repo, shared);
  const ownDigest = await pushBlob(url, repo, own);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sharedDigest, size: shared.length },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: ownDigest, size: own.length },
      ],
    }),
  );
  const digest = sha256(manifest);
  if (tags.length === 0) await pushManifest(url, repo, digest, OCI_MANIFEST, manifest);
  for (const t of tags) await pushManifest(url, repo, t, OCI_MANIFEST, manifest);
  return { digest, ownBytes: config.length + own.length };
}

interface Seeded {
  release1: Pushed;
  release2: Pushed;
  release3: Pushed;
  devA: Pushed;
  devB: Pushed;
  latest: Pushed;
  untaggedNew: Pushed;
  untaggedOld: Pushed;
  index: string;
  childNew: Pushed;
  childOld: Pushed;
  noDate: Pushed;
}

async function seed(url: string, repo: string): Promise<Seeded> {
  const s = {
    release1: await pushDated(url, repo, ['release-1'], '2026-01-01T00:00:00Z', `${repo}-r1`),
    release2: await pushDated(url, repo, ['release-2'], '2026-02-01T00:00:00Z', `${repo}-r2`),
    release3: await pushDated(url, repo, ['release-3'], '2026-03-01T00:00:00Z', `${repo}-r3`),
    devA: await pushDated(url, repo, ['dev-a'], '2026-05-20T00:00:00Z', `${repo}-da`),
    devB: await pushDated(url, repo, ['dev-b'], '2026-04-01T00:00:00Z', `${repo}-db`),
    // Protected by `latest`, yet old and also tagged dev-*: rule 2 would expire it.
    latest: await pushDated(url, repo, ['latest', 'dev-legacy'], '2025-01-01T00:00:00Z', `${repo}-latest`),
    untaggedNew: await pushDated(url, repo, [], '2026-05-30T00:00:00Z', `${repo}-u1`),
    untaggedOld: await pushDated(url, repo, [], '2026-05-10T00:00:00Z', `${repo}-u2`),
    childNew: await pushDated(url, repo, [], '2026-05-25T00:00:00Z', `${repo}-c1`),
    // A child of a kept index that is also tagged dev-* and old: rule 2 selects it, the index keeps it.
    childOld: await pushDated(url, repo, ['dev-arm'], '2025-03-01T00:00:00Z', `${repo}-c2`),
    // No created field: kept and warned about, although dev-* would select it.
    noDate: await pushDated(url, repo, ['dev-nodate'], undefined, `${repo}-nd`),
    index: '',
  };
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, digest: s.childNew.digest, size: 1, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: OCI_MANIFEST, digest: s.childOld.digest, size: 1, platform: { architecture: 'arm64', os: 'linux' } },
      ],
    }),
  );
  // Real sizes for the descriptors.
  const sizes = await Promise.all(
    [s.childNew.digest, s.childOld.digest].map(async (d) => {
      const r = await fetch(`${url}/v2/${repo}/manifests/${d}`, { headers: { accept: OCI_MANIFEST } });
      return (await r.arrayBuffer()).byteLength;
    }),
  );
  const doc = JSON.parse(index.toString()) as { manifests: { size: number }[] };
  doc.manifests[0]!.size = sizes[0]!;
  doc.manifests[1]!.size = sizes[1]!;
  const body = Buffer.from(JSON.stringify(doc));
  s.index = await pushManifest(url, repo, 'multi', OCI_INDEX, body);
  return s;
}

const known = (s: Seeded) => (): string[] => [s.untaggedNew.digest, s.untaggedOld.digest];

async function tagList(url: string, repo: string): Promise<string[]> {
  const r = await fetch(`${url}/v2/${repo}/tags/list`);
  const j = (await r.json()) as { tags: string[] | null };
  return [...(j.tags ?? [])].sort();
}

async function manifestStatus(url: string, repo: string, digest: string): Promise<number> {
  const r = await fetch(`${url}/v2/${repo}/manifests/${digest}`, { headers: { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` } });
  await r.arrayBuffer();
  return r.status;
}

function allDigests(s: Seeded): string[] {
  return [s.release1, s.release2, s.release3, s.devA, s.devB, s.latest, s.untaggedNew, s.untaggedOld, s.childNew, s.childOld, s.noDate]
    .map((p) => p.digest)
    .concat(s.index);
}

function expected(s: Seeded): string[] {
  return [s.release1.digest, s.devB.digest, s.untaggedOld.digest].sort();
}

function expireOf(r: PrunePlanResult, repo: string): string[] {
  return r.repositories.find((x) => x.name === repo)!.plan.expire.map((e) => e.digest).sort();
}

before(async () => {
  reg = await startRegistry({ kind: 'open' });
  dir = await mkdtemp(join(tmpdir(), 'bulwark-prune-'));
  const policyPath = join(dir, 'policy.json');
  await writeFile(policyPath, JSON.stringify(POLICY, null, 2));
  policy = await loadRetentionPolicy(policyPath);
  api = new RegistryApi({ url: reg.url, timeoutMs: 10_000, retry: { maxAttempts: 1 } });
});

after(async () => {
  await api?.close();
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('registry prune (real registry)', () => {
  it('dry run: plans exactly the expected digests, with reasons, and changes nothing', async () => {
    const repo = 'prune/dry';
    const s = await seed(reg.url, repo);
    const tagsBefore = await tagList(reg.url, repo);
    const progress: string[] = [];
    const result = await prunePlan(api, { policy, now: NOW, repos: (n) => n === repo, knownDigests: known(s), onProgress: (p) => progress.push(p.phase) });
    assert.deepEqual(result.repositories.map((r) => r.name), [repo]);
    assert.deepEqual(expireOf(result, repo), expected(s));
    const r = result.repositories[0]!;

    const reason = (d: string): string => {
      const e = r.plan.expire.find((x) => x.digest === d) ?? r.plan.keep.find((x) => x.digest === d) ?? r.skipped.find((x) => x.digest === d);
      assert.ok(e, `no verdict for ${d}`);
      return e.reason;
    };
    assert.match(reason(s.release1.digest), /^rule 1: .*3rd newest/);
    assert.match(reason(s.devB.digest), /^rule 2: .*61 days ago/);
    assert.match(reason(s.untaggedOld.digest), /^rule 3: /);
    // Protected: rule 2 would expire it, `latest` keeps it.
    const latest = r.plan.keep.find((k) => k.digest === s.latest.digest);
    assert.equal(latest?.protectedBy, 'latest');
    assert.match(latest!.reason, /protected: tag latest/);
    assert.deepEqual(latest!.tags, ['dev-legacy', 'latest']);
    // Index pushed time = newest child; no rule selects `multi`, so it stays, and so does its old dev-* child.
    assert.equal(r.manifests[s.index]?.created, '2026-05-25T00:00:00.000Z');
    assert.match(reason(s.childOld.digest), /child of index .*multi.*stays/);
    assert.ok(!r.plan.expire.some((e) => e.digest === s.childOld.digest));
    // Unknown push time: kept, warned.
    assert.match(reason(s.noDate.digest), /no push time/);
    assert.ok(result.warnings.some((w) => w.includes(s.noDate.digest) && w.includes('no created time')));
    assert.ok(result.warnings.some((w) => /no push time/.test(w)), 'says the API has no push time');
    assert.ok(progress.includes('resolve'));

    const text = renderPrunePlan(result, { apply: false });
    assert.match(text, /dry run/);
    assert.match(text, /DIGEST\s+TAGS\s+PUSHED\s+ACTION\s+RULE \/ REASON/);
    const line = (d: string): string => text.split('\n').find((l) => l.includes(shortDigest(d)))!;
    assert.match(line(s.release1.digest), /release-1\s+2026-01-01 00:00:00Z\s+EXPIRE\s+rule 1/);
    assert.match(line(s.latest.digest), /KEEP\s+protected/);
    assert.match(line(s.untaggedOld.digest), /<untagged>.*EXPIRE/);
    assert.match(text, /3 manifests would be deleted, 8 kept\. Nothing was deleted/);

    // Nothing changed.
    assert.deepEqual(await tagList(reg.url, repo), tagsBefore);
    for (const d of allDigests(s)) assert.equal(await manifestStatus(reg.url, repo, d), 200, d);
  });

  it('--apply deletes exactly the expired digests, keeps the rest, and explains what GC reclaims', async () => {
    const repo = 'prune/apply';
    const s = await seed(reg.url, repo);
    await pushDated(reg.url, 'prune/other', ['release-0'], '2020-01-01T00:00:00Z', 'other'); // not selected
    const plan = await prunePlan(api, { policy, now: NOW, repos: (n) => n.startsWith('prune/apply'), knownDigests: known(s) });
    assert.deepEqual(plan.repositories.map((r) => r.name), [repo]);
    const deletes: string[] = [];
    const result = await applyPrune(api, plan, { onProgress: (p) => p.phase === 'delete' && deletes.push(p.repository!) });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.deleted.map((d) => d.digest).sort(), expected(s));
    assert.deepEqual(result.deleted.find((d) => d.digest === s.release1.digest)?.tags, ['release-1']);
    assert.equal(deletes.length, 3);
    for (const d of expected(s)) assert.equal(await manifestStatus(reg.url, repo, d), 404, `deleted ${d}`);
    for (const d of allDigests(s).filter((x) => !expected(s).includes(x))) assert.equal(await manifestStatus(reg.url, repo, d), 200, `kept ${d}`);
    assert.equal(await manifestStatus(reg.url, 'prune/other', sha256(Buffer.alloc(0))), 404); // sanity of the helper
    assert.deepEqual(await tagList(reg.url, 'prune/other'), ['release-0']);
    assert.deepEqual(await tagList(reg.url, repo), ['dev-a', 'dev-arm', 'dev-legacy', 'dev-nodate', 'latest', 'multi', 'release-2', 'release-3']);
    // Reclaim: the configs and own layers of the three deleted images; the shared layer is still referenced.
    const bytes = s.release1.ownBytes + s.devB.ownBytes + s.untaggedOld.ownBytes;
    assert.equal(result.reclaimableBytes, bytes);
    assert.match(result.reclaim, /registry garbage-collect <config\.yml> --delete-untagged/);
    assert.match(result.reclaim, new RegExp(`\\(${bytes} bytes\\)`));
    assert.deepEqual(result.warnings, []);

    // A second plan over the pruned repository expires nothing more.
    const again = await prunePlan(api, { policy, now: NOW, repos: (n) => n === repo, knownDigests: known(s) });
    assert.deepEqual(expireOf(again, repo), []);
  });

  it('a deletion the registry refuses (405) is reported in failed while the others proceed', async () => {
    const repo = 'prune/refused';
    const s = await seed(reg.url, repo);
    const proxy: FaultProxy = await startFaultProxy(reg.url);
    const papi = new RegistryApi({ url: proxy.url, timeoutMs: 10_000, retry: { maxAttempts: 1 } });
    try {
      proxy.rules.push({
        match: on(`/v2/${repo}/manifests/${s.devB.digest}`, 'DELETE'),
        action: { kind: 'status', status: 405, body: '{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}' },
      });
      const plan = await prunePlan(papi, { policy, now: NOW, repositories: [repo], knownDigests: known(s) });
      const result = await applyPrune(papi, plan);
      assert.equal(result.failed.length, 1);
      assert.equal(result.failed[0]!.digest, s.devB.digest);
      assert.equal(result.failed[0]!.repo, repo);
      assert.match(result.failed[0]!.error, /deletion is disabled on this registry \(HTTP 405/);
      assert.deepEqual(result.deleted.map((d) => d.digest).sort(), [s.release1.digest, s.untaggedOld.digest].sort());
      assert.equal(await manifestStatus(reg.url, repo, s.devB.digest), 200);
      assert.equal(await manifestStatus(reg.url, repo, s.release1.digest), 404);
      assert.equal(await manifestStatus(reg.url, repo, s.untaggedOld.digest), 404);
    } finally {
      await papi.close();
      await proxy.stop();
    }
  });

  it('refuses to delete a digest that gained a tag after planning (a rollback re-tag)', async () => {
    const repo = 'prune/retag';
    const s = await seed(reg.url, repo);
    const plan = await prunePlan(api, { policy, now: NOW, repositories: [repo], knownDigests: known(s) });
    assert.ok(expireOf(plan, repo).includes(s.release1.digest));
    // Someone rolls back: `stable` now points at release-1.
    const body = Buffer.from(await (await fetch(`${reg.url}/v2/${repo}/manifests/${s.release1.digest}`, { headers: { accept: OCI_MANIFEST } })).arrayBuffer());
    await pushManifest(reg.url, repo, 'stable', OCI_MANIFEST, body);
    const result = await applyPrune(api, plan);
    assert.deepEqual(result.failed.map((f) => f.digest), [s.release1.digest]);
    assert.match(result.failed[0]!.error, /tag stable now points at it/);
    assert.equal(await manifestStatus(reg.url, repo, s.release1.digest), 200);
    assert.deepEqual(result.deleted.map((d) => d.digest).sort(), [s.devB.digest, s.untaggedOld.digest].sort());
  });

  it('without known digests it warns that untagged manifests cannot be listed, and never expires unreadable tags', async () => {
    const repo = 'prune/nodigests';
    const s = await seed(reg.url, repo);
    const proxy: FaultProxy = await startFaultProxy(reg.url);
    const papi = new RegistryApi({ url: proxy.url, timeoutMs: 10_000, retry: { maxAttempts: 1 } });
    try {
      const plan = await prunePlan(papi, { policy, now: NOW, repositories: [repo] });
      assert.deepEqual(expireOf(plan, repo), [s.release1.digest, s.devB.digest].sort());
      assert.ok(plan.warnings.some((w) => /cannot list untagged manifests/.test(w)));
      // One tag answers 500: nothing in the repository is expired (that tag might sit on an expiring digest).
      proxy.rules.push({ match: on(`/v2/${repo}/manifests/dev-a`, 'GET'), action: { kind: 'status', status: 500 } });
      const guarded = await prunePlan(papi, { policy, now: NOW, repositories: [repo] });
      assert.deepEqual(expireOf(guarded, repo), []);
      assert.ok(guarded.warnings.some((w) => w.includes(`${repo}:dev-a`)));
      assert.ok(guarded.repositories[0]!.skipped.some((x) => x.digest === s.release1.digest && /could not be read/.test(x.reason)));
    } finally {
      await papi.close();
      await proxy.stop();
    }
  });
});

describe('unreferencedBytes', () => {
  const m = (digest: string, blobs: [string, number][], extra: Partial<PruneManifest> = {}): PruneManifest => ({
    digest,
    kind: extra.children ? 'index' : 'image',
    mediaType: extra.children ? OCI_INDEX : OCI_MANIFEST,
    tags: [],
    blobs: blobs.map(([d, size]) => ({ digest: d, size })),
    ...extra,
  });
  const manifests: Record<string, PruneManifest> = {
    idx: m('idx', [], { children: ['c1', 'c2'], tags: ['multi'] }),
    c1: m('c1', [['cfg1', 3], ['own1', 10], ['base', 100]], { childOnly: true }),
    c2: m('c2', [['cfg2', 4], ['own2', 20]], { tags: ['arm'] }),
    img: m('img', [['cfg3', 5], ['base', 100]], { tags: ['x'] }),
  };
  it('counts the blobs of a deleted index\'s children that nothing remaining holds', () => {
    // c2 keeps its own tag; base is still used by img.
    assert.equal(unreferencedBytes(manifests, new Set(['idx'])), 13);
  });
  it('keeps a layer an untagged child of a remaining index still uses', () => {
    assert.equal(unreferencedBytes(manifests, new Set(['img'])), 5);
  });
  it('frees a shared layer once its last holder goes', () => {
    assert.equal(unreferencedBytes(manifests, new Set(['idx', 'img'])), 3 + 10 + 100 + 5);
  });
});

/**
 * `bulwark registry scan` engine against a REAL docker-registry (127.0.0.1) behind a counting, fault-injecting proxy:
 * images sharing one base layer are selected by globs, scanned with the real pipeline (openRegistryImage + scanImage)
 * through one content-addressed layer cache, a broken image fails alone, and a state file makes a rerun resumable.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';

import { RegistryApi } from '../../src/registry/api/index.js';
import { LayerCache, readScanState, registryImageScanner, scanRegistry, selectImages, type ScanOneContext } from '../../src/registry/scan/index.js';
import type { SourceOptions } from '../../src/sources/types.js';
import { on, startFaultProxy, type FaultProxy } from '../support/registry-faults.js';
import { buildImage, pushOciImage, sha256, startRegistry, type LayerSpec, type RunningRegistry } from '../support/registry.js';

const DPKG_STATUS = ['libc6', 'zlib1g']
  .map((name, i) =>
    [
      `Package: ${name}`,
      'Status: install ok installed',
      'Priority: optional',
      'Section: libs',
      'Installed-Size: 100',
      'Maintainer: Test <t@example.org>',
      'Architecture: amd64',
      `Version: 1.${i}-1`,
      `Description: ${name}`,
      '',
    ].join('\n'),
  )
  .join('\n');

export const BASE: LayerSpec = {
  files: {
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'var/lib/dpkg/status': DPKG_STATUS,
    'usr/share/base.txt': 'x'.repeat(20_000),
  },
};

const IMAGES = [
  ['apps/web', '1.0'],
  ['apps/web', '2.0'],
  ['apps/api', '1.0'],
  ['tools/cli', '1.0'],
] as const;

let reg: RunningRegistry;
let proxy: FaultProxy;
let api: RegistryApi;
let work: string;
let baseDigest: string;
const appLayer = new Map<string, string>();
/** Unique stored (gzip) layer sizes by digest. */
const uniqueSizes = new Map<string, number>();

async function push(repo: string, tag: string, label: string): Promise<void> {
  const image = await buildImage({ label, layers: [BASE, { files: { [`app/${repo.replace('/', '-')}.txt`]: `${label}\n` } }] });
  const pushed = await pushOciImage(reg.url, repo, tag, image);
  baseDigest = pushed.layerDigests[0]!;
  appLayer.set(`${repo}:${tag}`, pushed.layerDigests[1]!);
  image.layers.forEach((l, i) => uniqueSizes.set(pushed.layerDigests[i]!, gzipSync(l).length));
}

function sourceOptions(): Omit<SourceOptions, 'layerCache'> {
  return { platform: { os: 'linux', architecture: 'amd64' }, insecure: false, timeoutMs: 10_000, tempDir: work };
}

const ref = (repo: string, tag: string): string => `${proxy.host}/${repo}:${tag}`;
const blobGets = (digest: string): number => proxy.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`)).length;

before(async () => {
  reg = await startRegistry({ kind: 'open' });
  proxy = await startFaultProxy(reg.url);
  work = await mkdtemp(join(tmpdir(), 'bulwark-regscan-'));
  for (const [repo, tag] of IMAGES) await push(repo, tag, `${repo}:${tag}`);
  api = new RegistryApi({ url: proxy.host, timeoutMs: 10_000, retry: { maxAttempts: 2, baseDelayMs: 10 } });
});

after(async () => {
  await api?.close();
  await proxy?.stop();
  await reg?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('selectImages', () => {
  it('lists every repository and tag, filtered by picomatch globs', async () => {
    const all = await selectImages(api);
    assert.deepEqual(all, [ref('apps/api', '1.0'), ref('apps/web', '1.0'), ref('apps/web', '2.0'), ref('tools/cli', '1.0')]);
    assert.deepEqual(await selectImages(api, { repos: 'apps/*' }), [ref('apps/api', '1.0'), ref('apps/web', '1.0'), ref('apps/web', '2.0')]);
    assert.deepEqual(await selectImages(api, { tags: '2.*' }), [ref('apps/web', '2.0')]);
    assert.deepEqual(await selectImages(api, { repos: ['tools/**', 'apps/api'], tags: '1.0' }), [ref('apps/api', '1.0'), ref('tools/cli', '1.0')]);
    assert.deepEqual(await selectImages(api, { repos: 'nothing/*' }), []);
  });
});

describe('scanRegistry with the real pipeline and a layer cache', () => {
  it('fetches the shared base layer once for four images scanned concurrently', async () => {
    const cache = await LayerCache.open({ dir: join(work, 'cache-shared') });
    const refs = await selectImages(api);
    proxy.reset();
    const result = await scanRegistry(api, refs, { concurrency: 4, layerCache: cache, scanOne: registryImageScanner({ source: sourceOptions(), scan: {} }) });
    assert.equal(result.failed, 0, JSON.stringify(result.images));
    assert.equal(result.ok, 4);
    for (const s of result.images) {
      assert.equal(s.packages, 2, s.reference);
      assert.match(s.digest ?? '', /^sha256:/);
      assert.equal(s.vulnerabilities?.CRITICAL, 0);
    }
    assert.equal(blobGets(baseDigest), 1, 'base layer fetched once over the network');
    const unique = [baseDigest, ...appLayer.values()];
    const uniqueBytes = unique.reduce((n, d) => n + uniqueSizes.get(d)!, 0);
    assert.equal(result.cache?.misses, unique.length);
    assert.equal(result.cache?.hits, 3);
    assert.equal(result.cache?.networkBytes, uniqueBytes, 'bytes fetched = sum of unique layer sizes');
    assert.ok(existsSync(join(work, 'cache-shared', 'sha256', baseDigest.slice(7))));
  });

  it('without a cache every image fetches the base layer again', async () => {
    const refs = await selectImages(api, { repos: 'apps/*' });
    proxy.reset();
    const result = await scanRegistry(api, refs, { scanOne: registryImageScanner({ source: sourceOptions(), scan: {} }) });
    assert.equal(result.ok, 3);
    assert.equal(blobGets(baseDigest), 3);
    assert.equal(result.cache, undefined);
  });

  it('reports a broken image as failed and scans the others', async () => {
    const cache = await LayerCache.open({ dir: join(work, 'cache-faults') });
    const apiLayer = appLayer.get('apps/api:1.0')!;
    // The registry sends other bytes for one image's own layer (digest mismatch), and loses another image's tag.
    proxy.rules.push(
      { match: on(`/v2/apps/api/blobs/${apiLayer}`, 'GET'), action: { kind: 'rewrite', fn: (u) => ({ ...u, body: gzipSync(Buffer.from('tampered')) }) } },
      { match: on('/v2/tools/cli/manifests/1.0'), action: { kind: 'status', status: 404, headers: { 'content-type': 'application/json' }, body: '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}' } },
    );
    try {
      const refs = await selectImages(api);
      const result = await scanRegistry(api, refs, { concurrency: 2, layerCache: cache, scanOne: registryImageScanner({ source: sourceOptions(), scan: {} }) });
      const byRef = new Map(result.images.map((s) => [s.reference, s]));
      assert.equal(result.ok, 2);
      assert.equal(result.failed, 2);
      const apiImage = byRef.get(ref('apps/api', '1.0'))!;
      assert.equal(apiImage.status, 'failed');
      assert.match(apiImage.error ?? '', /digest mismatch/);
      assert.match(apiImage.digest ?? '', /^sha256:/, 'resolved before the scan failed');
      const cli = byRef.get(ref('tools/cli', '1.0'))!;
      assert.equal(cli.status, 'failed');
      assert.ok(cli.error);
      assert.equal(cli.digest, undefined);
      assert.equal(byRef.get(ref('apps/web', '1.0'))?.status, 'ok');
      assert.equal(byRef.get(ref('apps/web', '2.0'))?.status, 'ok');
      assert.equal(cache.has(apiLayer), false, 'a blob that failed verification is not stored');
      assert.equal(cache.stats.failures, 1);
    } finally {
      proxy.reset(true);
    }
  });

  it('resumes: a rerun with the state file scans only unfinished or changed images', async () => {
    const stateFile = join(work, 'resume', 'state.json');
    const cache = await LayerCache.open({ dir: join(work, 'cache-resume') });
    const real = registryImageScanner({ source: sourceOptions(), scan: {} });
    let calls: string[] = [];
    let failApi = true;
    const scanOne = async (reference: string, context: ScanOneContext) => {
      calls.push(reference);
      if (failApi && reference.includes('/apps/api:')) throw new Error('interrupted');
      return real(reference, context);
    };
    const refs = await selectImages(api);

    const first = await scanRegistry(api, refs, { layerCache: cache, stateFile, scanOne });
    assert.equal(first.ok, 3);
    assert.equal(first.failed, 1);
    assert.equal(calls.length, 4);
    const state = await readScanState(stateFile);
    assert.deepEqual(Object.keys(state.images).sort(), [ref('apps/web', '1.0'), ref('apps/web', '2.0'), ref('tools/cli', '1.0')]);
    for (const entry of Object.values(state.images)) {
      assert.ok(entry.resultFile && existsSync(entry.resultFile));
      const saved = JSON.parse(readFileSync(entry.resultFile, 'utf8')) as { packages: unknown[] };
      assert.equal(saved.packages.length, 2);
    }
    assert.deepEqual((await readdir(join(work, 'resume'))).filter((n) => n.endsWith('.tmp')), [], 'no temp files left');

    calls = [];
    failApi = false;
    const second = await scanRegistry(api, refs, { layerCache: cache, stateFile, scanOne });
    assert.deepEqual(calls, [ref('apps/api', '1.0')]);
    assert.equal(second.ok, 4);
    assert.equal(second.resumed, 3);
    assert.equal(second.images.find((s) => s.reference === ref('apps/web', '1.0'))?.packages, 2, 'resumed summary kept');

    // A tag that moved to new content is scanned again; the others are not.
    await push('apps/web', '1.0', 'apps/web:1.0 rebuilt');
    calls = [];
    const third = await scanRegistry(api, refs, { layerCache: cache, stateFile, scanOne });
    assert.deepEqual(calls, [ref('apps/web', '1.0')]);
    assert.equal(third.resumed, 3);
    assert.equal(third.ok, 4);
  });

  it('bounds concurrency', async () => {
    const refs = await selectImages(api);
    let active = 0;
    let peak = 0;
    const result = await scanRegistry(api, refs, {
      concurrency: 2,
      scanOne: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
        throw new Error('not scanned');
      },
    });
    assert.equal(peak, 2);
    assert.equal(result.failed, 4);
    assert.ok(result.images.every((s) => s.error === 'not scanned'));
  });

  it('scans a digest once when several tags name it, and reports it under each tag', async () => {
    const web = await api.getManifest('apps/web', '1.0');
    const { pushManifest } = await import('../support/registry.js');
    await pushManifest(reg.url, 'apps/web', 'stable', web.mediaType, web.bytes);
    try {
      const refs = await selectImages(api, { repos: 'apps/web' });
      assert.deepEqual(refs, [ref('apps/web', '1.0'), ref('apps/web', '2.0'), ref('apps/web', 'stable')]);
      const scanned: string[] = [];
      const real = registryImageScanner({ source: sourceOptions(), scan: {} });
      const result = await scanRegistry(api, refs, {
        concurrency: 3,
        scanOne: (reference, context) => {
          scanned.push(reference);
          return real(reference, context);
        },
        onResult: (reference, r) => assert.equal(r.artifact.reference, reference),
      });
      assert.equal(result.ok, 3);
      assert.equal(scanned.length, 2, `one scan for 1.0 and stable together: ${scanned.join(' ')}`);
      assert.equal(result.images[0]!.digest, result.images[2]!.digest);
    } finally {
      await fetch(`${reg.url}/v2/apps/web/manifests/${(await api.getManifest('apps/web', 'stable')).digest}`, { method: 'DELETE' }).catch(() => undefined);
    }
  });

  it('fails an image whose layer download stalls, within the timeout, and scans the others', async () => {
    const refs = await selectImages(api, { repos: 'apps/*' });
    const stalled = appLayer.get('apps/web:2.0')!;
    proxy.rules.push({ match: on(`/v2/apps/web/blobs/${stalled}`, 'GET'), action: { kind: 'stall' } });
    try {
      const started = Date.now();
      const result = await scanRegistry(api, refs, { scanOne: registryImageScanner({ source: { ...sourceOptions(), timeoutMs: 1500 }, scan: {} }) });
      const failed = result.images.filter((i) => i.status === 'failed');
      assert.deepEqual(failed.map((i) => i.reference), [ref('apps/web', '2.0')]);
      assert.match(failed[0]!.error ?? '', /did not answer within 1500 ms/);
      assert.equal(result.ok, refs.length - 1);
      assert.ok(Date.now() - started < 20_000);
    } finally {
      proxy.rules.length = 0;
    }
  });
});

describe('LayerCache', () => {
  const blob = (text: string) => {
    const bytes = Buffer.from(text);
    return { bytes, digest: sha256(bytes) };
  };
  const fetcher = (bytes: Buffer, counter: { n: number }) => async () => {
    counter.n++;
    await new Promise((r) => setTimeout(r, 20));
    return Readable.from([bytes]);
  };

  it('shares one download between concurrent requests and serves later ones from disk', async () => {
    const cache = await LayerCache.open({ dir: join(work, 'lc-share') });
    const b = blob('shared layer');
    const counter = { n: 0 };
    const streams = await Promise.all([1, 2, 3].map(() => cache.open(b.digest, fetcher(b.bytes, counter))));
    for (const s of streams) assert.deepEqual(await buffer(s), b.bytes);
    assert.deepEqual(await buffer(await cache.open(b.digest, fetcher(b.bytes, counter))), b.bytes);
    assert.equal(counter.n, 1);
    assert.deepEqual(
      { ...cache.stats },
      { networkBytes: b.bytes.length, hits: 3, joined: 2, misses: 1, failures: 0, evictions: 0, storedBytes: b.bytes.length, entries: 1 },
    );
  });

  it('rejects content with the wrong digest or size and stores nothing', async () => {
    const dir = join(work, 'lc-verify');
    const cache = await LayerCache.open({ dir });
    const b = blob('the real content');
    const counter = { n: 0 };
    await assert.rejects(cache.open(b.digest, fetcher(Buffer.from('other content'), counter)), /digest mismatch/);
    await assert.rejects(cache.open(b.digest, fetcher(b.bytes, counter), { size: 3 }), /manifest says 3/);
    assert.equal(cache.has(b.digest), false);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    // Not remembered: the next request downloads again.
    assert.deepEqual(await buffer(await cache.open(b.digest, fetcher(b.bytes, counter))), b.bytes);
    assert.equal(counter.n, 3);
    await assert.rejects(cache.open('md5:abc', fetcher(b.bytes, counter)), /unsupported digest/);
  });

  it('evicts least recently used blobs beyond maxBytes and re-indexes the directory on open', async () => {
    const dir = join(work, 'lc-lru');
    const cache = await LayerCache.open({ dir, maxBytes: 25 });
    const [a, b, c] = ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)].map(blob) as [ReturnType<typeof blob>, ReturnType<typeof blob>, ReturnType<typeof blob>];
    const counter = { n: 0 };
    await buffer(await cache.open(a.digest, fetcher(a.bytes, counter)));
    await buffer(await cache.open(b.digest, fetcher(b.bytes, counter)));
    await buffer(await cache.open(a.digest, fetcher(a.bytes, counter))); // a is now the most recent
    await buffer(await cache.open(c.digest, fetcher(c.bytes, counter)));
    assert.equal(cache.has(a.digest), true);
    assert.equal(cache.has(b.digest), false, 'least recently used evicted');
    assert.equal(cache.has(c.digest), true);
    assert.equal(cache.stats.evictions, 1);
    assert.equal(cache.stats.storedBytes, 20);
    assert.equal(existsSync(join(dir, 'sha256', b.digest.slice(7))), false);

    await writeFile(join(dir, 'tmp', 'stale'), 'partial download');
    const reopened = await LayerCache.open({ dir, maxBytes: 25 });
    assert.equal(reopened.has(a.digest), true);
    assert.equal(reopened.has(c.digest), true);
    assert.equal(reopened.stats.storedBytes, 20);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  });
});

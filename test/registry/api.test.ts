import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RegistryApi, nextLink, referrersTag, type RegistryApiOptions } from '../../src/registry/api/index.js';
import { Semaphore } from '../../src/registry/api/semaphore.js';
import { on, paginateTags, startFaultProxy, type FaultProxy } from '../support/registry-faults.js';
import { OCI_INDEX, OCI_MANIFEST, buildImage, pushBlob, pushManifest, pushOciImage, sha256, startRegistry, type RunningRegistry } from '../support/registry.js';
import { rejectsWith } from '../support/errors.js';

delete process.env.BULWARK_USERNAME;
delete process.env.BULWARK_PASSWORD;

const USER = 'alice';
const PASS = 's3cret-pass';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
const SBOM = 'application/vnd.example.sbom.v1';
const EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';

let scratch = '';
const open: RegistryApi[] = [];

function api(url: string, over: Partial<RegistryApiOptions> = {}): RegistryApi {
  const client = new RegistryApi({
    url,
    timeoutMs: 5000,
    // Never let the machine's own ~/.docker/config.json leak into a test.
    dockerConfigPath: join(scratch, 'no-such-config.json'),
    env: {},
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...over,
  });
  open.push(client);
  return client;
}

let counter = 0;
async function pushImage(registryUrl: string, repo: string, tag: string): Promise<{ digest: string; configDigest: string; size: number }> {
  const image = await buildImage({ label: `api-${counter++}`, layers: [{ files: { 'etc/os-release': `ID=test${counter}\n` } }] });
  const pushed = await pushOciImage(registryUrl, repo, tag, image);
  return { digest: pushed.digest, configDigest: image.configDigest, size: pushed.manifest.length };
}

/** An OCI 1.1 artifact (empty config, one blob) whose subject is `subject`; pushed by digest, like oras does. */
async function pushArtifact(registryUrl: string, repo: string, subject: { digest: string; size: number }): Promise<{ digest: string; size: number }> {
  const config = Buffer.from('{}');
  await pushBlob(registryUrl, repo, config);
  const blob = Buffer.from(`{"sbom":${counter++}}`);
  const blobDigest = await pushBlob(registryUrl, repo, blob);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: SBOM,
      config: { mediaType: EMPTY_CONFIG, digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/spdx+json', digest: blobDigest, size: blob.length }],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size },
    }),
  );
  const digest = await pushManifest(registryUrl, repo, sha256(body), OCI_MANIFEST, body);
  return { digest, size: body.length };
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bulwark-registry-api-'));
});
after(async () => {
  await Promise.all(open.map((c) => c.close()));
  await rm(scratch, { recursive: true, force: true });
});

describe('helpers', () => {
  it('parses Link headers relative to the page', () => {
    assert.equal(nextLink('</v2/_catalog?last=b&n=2>; rel="next"', 'http://127.0.0.1:1/v2/_catalog?n=2'), 'http://127.0.0.1:1/v2/_catalog?last=b&n=2');
    assert.equal(nextLink('<http://x/a>; rel="prev", <http://x/b>; rel=next', 'http://x/'), 'http://x/b');
    assert.equal(nextLink(undefined, 'http://x/'), undefined);
    assert.equal(referrersTag(`sha256:${'ab'.repeat(32)}`), `sha256-${'ab'.repeat(32)}`);
  });

  it('semaphore never lets more than its limit through', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        sem.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.equal(sem.inUse, 0);
  });

  it('refuses plain http to a non-loopback host and bad names', () => {
    assert.throws(() => new RegistryApi({ url: 'http://registry.example.com', timeoutMs: 10 }), /only used for loopback/);
    assert.equal(new RegistryApi({ url: 'registry.example.com:5000', timeoutMs: 10 }).baseUrl, 'https://registry.example.com:5000');
    assert.equal(new RegistryApi({ url: '127.0.0.1:5000', timeoutMs: 10 }).baseUrl, 'http://127.0.0.1:5000');
  });
});

describe('open registry', () => {
  let reg: RunningRegistry;
  let proxy: FaultProxy;
  const repos = ['alpha', 'beta/one', 'beta/two', 'delta', 'gamma'];
  const tags = ['t1', 't2', 't3', 't4', 't5'];
  let image: { digest: string; configDigest: string; size: number };
  let gammaImage: { digest: string; configDigest: string; size: number };
  let artifact: { digest: string; size: number };
  let indexDigest = '';

  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    proxy = await startFaultProxy(reg.url);
    image = await pushImage(reg.url, 'alpha', 't1');
    const manifest = await (await fetch(`${reg.url}/v2/alpha/manifests/t1`, { headers: { accept: OCI_MANIFEST } })).arrayBuffer();
    for (const tag of tags.slice(1)) await pushManifest(reg.url, 'alpha', tag, OCI_MANIFEST, Buffer.from(manifest));
    for (const repo of ['beta/one', 'beta/two', 'delta']) await pushImage(reg.url, repo, 'latest');
    gammaImage = await pushImage(reg.url, 'gamma', 'latest');
    artifact = await pushArtifact(reg.url, 'gamma', gammaImage);
    // The referrers tag schema, as a client of a registry without the referrers API maintains it.
    const fallback = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: OCI_MANIFEST, digest: artifact.digest, size: artifact.size, artifactType: SBOM }],
      }),
    );
    await pushManifest(reg.url, 'gamma', referrersTag(gammaImage.digest), OCI_INDEX, fallback);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: OCI_MANIFEST, digest: image.digest, size: image.size, platform: { os: 'linux', architecture: 'amd64' } }],
      }),
    );
    indexDigest = await pushManifest(reg.url, 'alpha', 'multi', OCI_INDEX, index);
    tags.push('multi');
  });
  after(async () => {
    await proxy?.stop();
    await reg?.stop();
  });

  it('ping: 200, API version, no auth scheme', async () => {
    const ping = await api(reg.url).ping();
    assert.equal(ping.status, 200);
    assert.equal(ping.apiVersion, 'registry/2.0');
    assert.equal(ping.headers['docker-distribution-api-version'], 'registry/2.0');
    assert.equal(ping.authScheme, undefined);
  });

  it('lists the catalog page by page (n=2) and gets exactly what was pushed', async () => {
    proxy.reset(true);
    const list = await api(proxy.url).listRepositories({ pageSize: 2 });
    assert.deepEqual([...list].sort(), [...repos].sort());
    const pages = proxy.requests.filter((r) => r.path.startsWith('/v2/_catalog'));
    assert.ok(pages.length >= 3, `expected at least 3 catalog pages, saw ${pages.length}`);
    assert.ok(pages.every((r) => /[?&]n=2\b/.test(r.path)), pages.map((p) => p.path).join(' '));
  });

  it('lists tags page by page (n=2)', async () => {
    proxy.reset(true);
    // distribution 2.8 returns all tags at once: the proxy pages its real answer like distribution 3 does.
    proxy.rules.push({ match: on('/v2/alpha/tags/list'), action: { kind: 'rewrite', fn: paginateTags } });
    const list = await api(proxy.url).listTags('alpha', { pageSize: 2 });
    assert.deepEqual([...list].sort(), [...tags].sort());
    assert.ok(proxy.requests.filter((r) => r.path.includes('/tags/list')).length >= 3);
    await rejectsWith(api(reg.url).listTags('no-such-repo'), 'E_NOT_FOUND', /tags of no-such-repo not found \(HTTP 404 NAME_UNKNOWN/);
  });

  it('gets manifests by tag and by digest, verified, with their config', async () => {
    const client = api(reg.url);
    const byTag = await client.getManifest('alpha', 't3');
    assert.equal(byTag.digest, image.digest);
    assert.equal(byTag.kind, 'image');
    assert.equal(byTag.mediaType, OCI_MANIFEST);
    assert.equal(byTag.configMediaType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(byTag.configDigest, image.configDigest);
    const byDigest = await client.getManifest('alpha', image.digest);
    assert.deepEqual(byDigest.bytes, byTag.bytes);
    const config = await client.getBlobJson('alpha', image.configDigest);
    assert.equal((config.json as { os: string }).os, 'linux');
    const index = await client.getManifest('alpha', 'multi');
    assert.equal(index.kind, 'index');
    assert.equal(index.digest, indexDigest);
    assert.equal(index.manifests?.[0]?.digest, image.digest);
    await rejectsWith(client.getManifest('alpha', 'nope'), 'E_NOT_FOUND', /manifest alpha:nope not found/);
  });

  it('returns artifacts (not rejected) with artifactType and subject', async () => {
    const m = await api(reg.url).getManifest('gamma', artifact.digest);
    assert.equal(m.kind, 'artifact');
    assert.equal(m.artifactType, SBOM);
    assert.equal(m.configMediaType, EMPTY_CONFIG);
    assert.equal(m.subject?.digest, gammaImage.digest);
  });

  it('finds referrers through the sha256-<hex> fallback tag when the referrers API 404s', async () => {
    proxy.reset(true);
    const client = api(proxy.url);
    const found = await client.referrers('gamma', gammaImage.digest);
    assert.equal(found.source, 'tag');
    assert.deepEqual(found.descriptors.map((d) => d.digest), [artifact.digest]);
    assert.ok(proxy.requests.some((r) => r.path.startsWith(`/v2/gamma/referrers/${gammaImage.digest}`)), 'asked the referrers API first');
    assert.deepEqual((await client.referrers('gamma', gammaImage.digest, { artifactType: 'application/other' })).descriptors, []);
    assert.deepEqual(await client.referrers('alpha', image.digest), { source: 'tag', descriptors: [] });
  });

  it('uses the OCI 1.1 referrers API when the registry has it', async () => {
    proxy.reset(true);
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: artifact.digest, size: artifact.size, artifactType: SBOM }] };
    proxy.rules.push({ match: on('/v2/gamma/referrers/'), action: { kind: 'status', status: 200, headers: { 'content-type': OCI_INDEX }, body: JSON.stringify(index) } });
    const found = await api(proxy.url).referrers('gamma', gammaImage.digest);
    assert.equal(found.source, 'api');
    assert.equal(found.descriptors[0]?.artifactType, SBOM);
    assert.ok(!proxy.requests.some((r) => r.path.includes(referrersTag(gammaImage.digest))), 'no fallback tag lookup');
  });

  it('deletes a manifest by digest, then it is gone', async () => {
    const pushed = await pushImage(reg.url, 'delta', 'doomed');
    const client = api(reg.url);
    await client.deleteManifest('delta', pushed.digest);
    await rejectsWith(client.getManifest('delta', pushed.digest), 'E_NOT_FOUND', /delta@sha256:[0-9a-f]{64} not found/);
    await rejectsWith(client.deleteManifest('delta', pushed.digest), 'E_NOT_FOUND', /not found/);
    await rejectsWith(client.deleteManifest('delta', 'latest'), 'E_USAGE', /not a sha256/);
  });

  it('says clearly when deletion is disabled (405)', async () => {
    proxy.reset(true);
    proxy.rules.push({
      match: on('/v2/alpha/manifests/', 'DELETE'),
      action: { kind: 'status', status: 405, body: '{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}' },
    });
    await rejectsWith(api(proxy.url).deleteManifest('alpha', image.digest), 'E_UNSUPPORTED', /deletion is disabled.*HTTP 405 UNSUPPORTED/);
    await api(reg.url).getManifest('alpha', image.digest);
  });

  it('anonymous probes succeed on an open registry', async () => {
    const client = api(reg.url);
    assert.equal(await client.canListCatalogAnonymously(), true);
    assert.equal(await client.canPullAnonymously('alpha', 't1'), true);
  });

  it('flags schema 1 manifests instead of refusing them', async () => {
    proxy.reset(true);
    const body = JSON.stringify({ schemaVersion: 1, name: 'alpha', tag: 'old', architecture: 'amd64', fsLayers: [], history: [] });
    proxy.rules.push({ match: on('/v2/alpha/manifests/old'), action: { kind: 'status', status: 200, headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v1+json' }, body } });
    const m = await api(proxy.url).getManifest('alpha', 'old');
    assert.equal(m.kind, 'schema1');
    assert.equal(m.digest, sha256(body));
    assert.match(proxy.requests[0]?.path ?? '', /old/);
  });

  describe('faults through the proxy', () => {
    it('retries 500 twice, then succeeds', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/alpha/manifests/t1'), times: 2, action: { kind: 'status', status: 500, body: 'boom' } });
      const m = await api(proxy.url).getManifest('alpha', 't1');
      assert.equal(m.digest, image.digest);
      assert.equal(proxy.requests.filter((r) => r.path === '/v2/alpha/manifests/t1').length, 3);
    });

    it('gives up after maxAttempts on a registry that keeps failing', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/alpha/manifests/t2'), action: { kind: 'status', status: 503, body: '{"errors":[{"code":"UNAVAILABLE","message":"down"}]}' } });
      await rejectsWith(api(proxy.url).getManifest('alpha', 't2'), 'E_REGISTRY', /failed to serve manifest alpha:t2 \(HTTP 503 UNAVAILABLE: down\) after 4 attempts/);
      assert.equal(proxy.requests.length, 4);
    });

    it('honours Retry-After on 429', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/_catalog'), times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: '' } });
      const started = Date.now();
      const list = await api(proxy.url).listRepositories();
      const elapsed = Date.now() - started;
      assert.equal(list.length, repos.length);
      assert.ok(elapsed >= 950, `waited only ${elapsed} ms`);
      assert.equal(proxy.requests.length, 2);
    });

    it('caps Retry-After', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/_catalog'), times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: '' } });
      const started = Date.now();
      await api(proxy.url, { retry: { baseDelayMs: 5, maxRetryAfterMs: 100 } }).listRepositories();
      assert.ok(Date.now() - started < 3000);
    });

    it('retries a connection reset', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/alpha/tags/list'), times: 1, action: { kind: 'reset' } });
      assert.equal((await api(proxy.url).listTags('alpha')).length, tags.length);
      assert.equal(proxy.requests.length, 2);
    });

    it('rejects a manifest whose body does not match its digest, naming repo and ref', async () => {
      proxy.reset(true);
      const tamper = (u: { status: number; headers: Record<string, unknown>; body: Buffer }) => ({ ...u, body: Buffer.from(`${u.body.toString()} `) });
      proxy.rules.push({ match: on('/v2/alpha/manifests/'), action: { kind: 'rewrite', fn: tamper as never } });
      const client = api(proxy.url);
      await rejectsWith(client.getManifest('alpha', 't4'), 'E_DIGEST', /manifest alpha:t4: digest mismatch: expected sha256:[0-9a-f]{64} \(Docker-Content-Digest\)/);
      await rejectsWith(client.getManifest('alpha', image.digest), 'E_DIGEST', new RegExp(`manifest alpha@${image.digest}: digest mismatch`));
    });

    it('times out on a stalled registry', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/alpha/manifests/t5'), action: { kind: 'stall' } });
      const started = Date.now();
      await rejectsWith(api(proxy.url, { timeoutMs: 300 }).getManifest('alpha', 't5'), 'E_TIMEOUT', /did not answer within 300 ms/);
      assert.ok(Date.now() - started < 3000);
    });

    it('never has more than maxConcurrent requests in flight', async () => {
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/'), action: { kind: 'delay', ms: 80 } });
      const client = api(proxy.url, { maxConcurrent: 2 });
      const refs = [...tags, ...tags];
      const got = await Promise.all(refs.map((t) => client.getManifest('alpha', t)));
      assert.equal(got.length, refs.length);
      assert.equal(proxy.peakInFlight, 2, `peak in flight ${proxy.peakInFlight}`);
      assert.ok(client.peakConcurrent <= 2);
      proxy.reset(true);
      proxy.rules.push({ match: on('/v2/'), action: { kind: 'delay', ms: 80 } });
      const wide = api(proxy.url, { maxConcurrent: 5 });
      await Promise.all(refs.map((t) => wide.getManifest('alpha', t)));
      assert.ok(proxy.peakInFlight > 2 && proxy.peakInFlight <= 5, `peak ${proxy.peakInFlight}`);
    });

    it('stops a pagination loop (same Link twice)', async () => {
      proxy.reset(true);
      proxy.rules.push({
        match: on('/v2/_catalog'),
        action: { kind: 'rewrite', fn: (u) => ({ ...u, headers: { ...u.headers, link: '</v2/_catalog?last=alpha&n=1>; rel="next"' } }) },
      });
      await rejectsWith(api(proxy.url).listRepositories({ pageSize: 1 }), 'E_REGISTRY', /pagination loop/);
      assert.ok(proxy.requests.length <= 3);
    });

    it('refuses a manifest larger than 4 MiB', async () => {
      proxy.reset(true);
      proxy.rules.push({
        match: on('/v2/alpha/manifests/big'),
        action: { kind: 'status', status: 200, headers: { 'content-type': OCI_MANIFEST }, body: Buffer.alloc(4 * 1024 * 1024 + 10, 0x20) },
      });
      await rejectsWith(api(proxy.url).getManifest('alpha', 'big'), 'E_REGISTRY', /more than 4194304 bytes/);
      assert.equal(proxy.requests.length, 1, 'a too-large answer is not retried');
    });
  });
});

describe('htpasswd registry', () => {
  let reg: RunningRegistry;
  let pusher: FaultProxy;
  let watch: FaultProxy;
  let pushed: { digest: string };

  before(async () => {
    reg = await startRegistry({ kind: 'htpasswd', username: USER, password: PASS });
    pusher = await startFaultProxy(reg.url, { injectAuthorization: BASIC });
    watch = await startFaultProxy(reg.url);
    pushed = await pushImage(pusher.url, 'private/app', 'v1');
    await pushImage(pusher.url, 'private/db', 'v1');
  });
  after(async () => {
    await pusher?.stop();
    await watch?.stop();
    await reg?.stop();
  });

  it('ping reports basic auth', async () => {
    const ping = await api(reg.url).ping();
    assert.equal(ping.status, 401);
    assert.equal(ping.authScheme, 'basic');
    assert.equal(ping.realm, 'bulwark-test');
  });

  it('lists and reads with credentials, anonymous first, then Basic re-used', async () => {
    watch.reset(true);
    const client = api(watch.url, { username: USER, password: PASS });
    assert.deepEqual(await client.listRepositories({ pageSize: 1 }), ['private/app', 'private/db']);
    assert.equal((await client.getManifest('private/app', 'v1')).digest, pushed.digest);
    assert.equal(watch.requests[0]?.authorization, undefined, 'first request is anonymous');
    assert.ok(watch.requests.slice(1).every((r) => r.authorization === BASIC));
    assert.equal(watch.requests.length, 4, watch.requests.map((r) => r.path).join(' '));
  });

  it('without credentials: a clear auth error', async () => {
    await rejectsWith(api(reg.url).listRepositories(), 'E_AUTH', /requires a login and no credentials were found/);
    await rejectsWith(api(reg.url, { username: USER, password: 'wrong' }).listTags('private/app'), 'E_AUTH', /rejected the credentials from options \(HTTP 401\)/);
  });

  it('takes credentials from the environment', async () => {
    const client = api(reg.url, { env: { BULWARK_USERNAME: USER, BULWARK_PASSWORD: PASS } });
    assert.deepEqual(await client.listTags('private/app'), ['v1']);
  });

  it('anonymous probes say no (even when the API holds credentials)', async () => {
    const client = api(reg.url, { username: USER, password: PASS });
    assert.equal(await client.canListCatalogAnonymously(), false);
    assert.equal(await client.canPullAnonymously('private/app', 'v1'), false);
  });

  it('deletes with credentials', async () => {
    const doomed = await pushImage(pusher.url, 'private/db', 'old');
    const client = api(reg.url, { username: USER, password: PASS });
    await client.deleteManifest('private/db', doomed.digest);
    await rejectsWith(client.getManifest('private/db', doomed.digest), 'E_NOT_FOUND', /not found/);
  });
});

describe('token registry', () => {
  let reg: RunningRegistry;
  let pusher: FaultProxy;
  let watch: FaultProxy;

  before(async () => {
    reg = await startRegistry({ kind: 'token', username: USER, password: PASS });
    watch = await startFaultProxy(reg.url);
    // The proxy signs in for the push helpers by fetching a push token for each request path.
    pusher = watch;
  });
  after(async () => {
    await watch?.stop();
    await reg?.stop();
  });

  it('fetches one bearer token per scope and re-uses it', async () => {
    const ping = await api(reg.url).ping();
    assert.equal(ping.authScheme, 'bearer');
    const tokenFor = async (scope: string): Promise<string> => {
      const url = new URL(reg.token!.url);
      url.searchParams.set('service', 'bulwark-test-registry');
      url.searchParams.set('scope', scope);
      const res = await fetch(url, { headers: { authorization: BASIC } });
      return ((await res.json()) as { token: string }).token;
    };
    const token = await tokenFor('repository:tok/app:pull,push,delete');
    const pushVia = await startFaultProxy(reg.url, { injectAuthorization: `Bearer ${token}` });
    let pushedDigest = '';
    try {
      pushedDigest = (await pushImage(pushVia.url, 'tok/app', 'v1')).digest;
    } finally {
      await pushVia.stop();
    }
    const client = api(pusher.url, { username: USER, password: PASS });
    const before = reg.token!.issued;
    assert.deepEqual(await client.listRepositories(), ['tok/app']);
    assert.deepEqual(await client.listTags('tok/app'), ['v1']);
    assert.deepEqual(await client.listTags('tok/app'), ['v1']);
    assert.equal((await client.getManifest('tok/app', 'v1')).digest, pushedDigest);
    assert.equal(reg.token!.issued - before, 2, 'one catalog token, one pull token');
    assert.equal(await api(reg.url).canListCatalogAnonymously(), false);
    assert.equal(await api(reg.url).canPullAnonymously('tok/app', 'v1'), false);
    const beforeDelete = reg.token!.issued;
    await client.deleteManifest('tok/app', pushedDigest);
    assert.equal(reg.token!.issued - beforeDelete, 1, 'one delete token');
    await rejectsWith(client.getManifest('tok/app', pushedDigest), 'E_NOT_FOUND', /not found/);
  });
});

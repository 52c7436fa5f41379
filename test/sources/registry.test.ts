import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { isBulwarkError } from '../../src/core/errors.js';
import { openRegistryImage, parseReference } from '../../src/sources/registry/index.js';
import type { ImageSource, SourceOptions } from '../../src/sources/types.js';
import { rejectsWith } from '../support/errors.js';
import {
  OCI_INDEX,
  OCI_MANIFEST,
  buildImage,
  closeServer,
  listen,
  pushBlob,
  pushManifest,
  pushOciImage,
  sha256,
  skopeoCopy,
  startRegistry,
  writeDockerArchive,
  type BuiltImage,
  type RunningRegistry,
} from '../support/registry.js';

delete process.env.BULWARK_USERNAME;
delete process.env.BULWARK_PASSWORD;

const USER = 'alice';
const PASS = 's3cret-pass';

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bulwark-registry-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function options(over: Partial<SourceOptions> = {}): SourceOptions {
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    insecure: false,
    timeoutMs: 10_000,
    tempDir: scratch,
    // Never let the machine's own ~/.docker/config.json leak into a test.
    dockerConfigPath: join(scratch, 'no-such-config.json'),
    ...over,
  };
}

async function digestOf(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

async function withImage<T>(ref: string, opts: SourceOptions, use: (img: ImageSource) => Promise<T>): Promise<T> {
  const img = await openRegistryImage(ref, opts);
  try {
    return await use(img);
  } finally {
    await img.close();
  }
}

/** Streams every layer: the blob digest must match the manifest, the gunzipped tar the diff_id. */
async function assertLayersVerify(img: ImageSource): Promise<void> {
  for (let i = 0; i < img.layers.length; i++) {
    assert.equal(await digestOf(await img.openLayer(i)), img.layers[i]!.digest);
    const plain = (await img.openLayer(i)).pipe(createGunzip());
    assert.equal(await digestOf(plain), img.layers[i]!.diffId);
  }
}

let counter = 0;
async function pushArchive(reg: RunningRegistry, repoTag: string, creds?: { username: string; password: string }): Promise<BuiltImage> {
  const image = await buildImage({
    label: `archive-${counter++}`,
    layers: [{ files: { 'etc/os-release': 'ID=test\n' } }, { files: { 'app/run.sh': `#!/bin/sh\necho ${counter}\n` } }],
  });
  const archive = join(scratch, `img-${counter}.tar`);
  await writeDockerArchive(archive, image, 'bulwark/test:latest');
  await skopeoCopy(archive, `${reg.host}/${repoTag}`, creds);
  return image;
}

describe('reference parsing', () => {
  it('applies Docker Hub defaults', () => {
    assert.deepEqual(parseReference('alpine'), {
      input: 'alpine', registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined,
    });
    const hub = parseReference('docker.io/bitnami/redis:7.2');
    assert.equal(hub.endpoint, 'registry-1.docker.io');
    assert.equal(hub.repository, 'bitnami/redis');
    assert.equal(hub.tag, '7.2');
  });
  it('keeps host:port, tag and digest', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    const r = parseReference(`127.0.0.1:5000/team/app:1.0@${d}`);
    assert.equal(r.registry, '127.0.0.1:5000');
    assert.equal(r.repository, 'team/app');
    assert.equal(r.tag, '1.0');
    assert.equal(r.digest, d);
    assert.equal(parseReference(`localhost/app@${d}`).tag, undefined);
    assert.equal(parseReference('localhost:5000/app').tag, 'latest');
  });
  it('rejects malformed references with E_INPUT', () => {
    for (const bad of ['', 'UPPER/case', 'app:bad tag', 'app@sha256:abc', 'a//b']) {
      assert.throws(() => parseReference(bad), (e: unknown) => isBulwarkError(e) && e.code === 'E_INPUT');
    }
  });
});

describe('open registry', () => {
  let reg: RunningRegistry;
  let image: BuiltImage;
  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    image = await pushArchive(reg, 'team/app:1.0');
  });
  after(async () => reg?.stop());

  it('pulls anonymously a docker-archive pushed by skopeo, and every digest checks out', async () => {
    await withImage(`${reg.host}/team/app:1.0`, options(), async (img) => {
      assert.equal(img.kind, 'registry');
      assert.equal(img.name, `${reg.host}/team/app:1.0`);
      assert.deepEqual(img.repoTags, [`${reg.host}/team/app:1.0`]);
      assert.equal(img.configDigest, image.configDigest);
      assert.deepEqual(img.config.rootfs.diff_ids, image.diffIds);
      assert.deepEqual(img.layers.map((l) => l.diffId), image.diffIds);
      assert.equal(img.config.config?.Labels?.['test.label'], 'archive-0');
      const raw = await fetch(`${reg.url}/v2/team/app/manifests/1.0`, {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      assert.equal(img.manifestDigest, sha256(Buffer.from(await raw.arrayBuffer())));
      assert.deepEqual(img.repoDigests, [`${reg.host}/team/app@${img.manifestDigest}`]);
      await assertLayersVerify(img);
    });
  });

  it('pulls by digest', async () => {
    const first = await withImage(`${reg.host}/team/app:1.0`, options(), async (img) => img.manifestDigest!);
    await withImage(`${reg.host}/team/app@${first}`, options(), async (img) => {
      assert.equal(img.manifestDigest, first);
      assert.deepEqual(img.repoTags, []);
      assert.equal(img.name, `${reg.host}/team/app@${first}`);
    });
  });

  it('reports a missing tag, repository or digest as E_NOT_FOUND', async () => {
    await rejectsWith(openRegistryImage(`${reg.host}/team/app:nope`, options()), 'E_NOT_FOUND', /team\/app:nope: manifest nope not found \(HTTP 404 MANIFEST_UNKNOWN/);
    await rejectsWith(openRegistryImage(`${reg.host}/nobody/here`, options()), 'E_NOT_FOUND', /not found/);
    const wrong = `sha256:${'0'.repeat(64)}`;
    await rejectsWith(openRegistryImage(`${reg.host}/team/app@${wrong}`, options()), 'E_NOT_FOUND', new RegExp(`manifest ${wrong} not found`));
  });

  it('a manifest rewritten in storage fails the digest check, by digest and by tag', async () => {
    const built = await buildImage({ label: 'tamper-manifest', layers: [{ files: { a: 'x' } }] });
    const pushed = await pushOciImage(reg.url, 'tamper/manifest', 'v1', built);
    const path = reg.blobPath(pushed.digest);
    await writeFile(path, JSON.stringify(JSON.parse(pushed.manifest.toString()), null, 2));
    await rejectsWith(openRegistryImage(`${reg.host}/tamper/manifest@${pushed.digest}`, options()), 'E_DIGEST', /manifest digest mismatch: expected sha256:/);
    await rejectsWith(openRegistryImage(`${reg.host}/tamper/manifest:v1`, options()), 'E_DIGEST', /Docker-Content-Digest/);
  });

  it('a layer blob rewritten in storage streams bytes whose digest differs from the manifest', async () => {
    const built = await buildImage({ label: 'tamper-layer', layers: [{ files: { a: 'tamper me please' } }] });
    const pushed = await pushOciImage(reg.url, 'tamper/layer', 'v1', built);
    const path = reg.blobPath(pushed.layerDigests[0]!);
    const bytes = await readFile(path);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(path, bytes);
    await withImage(`${reg.host}/tamper/layer:v1`, options(), async (img) => {
      const got = await digestOf(await img.openLayer(0));
      assert.equal(img.layers[0]!.digest, pushed.layerDigests[0]);
      assert.notEqual(got, img.layers[0]!.digest);
      assert.equal(got, sha256(bytes));
    });
  });

  it('a layer blob missing from storage is E_NOT_FOUND naming the digest', async () => {
    const built = await buildImage({ label: 'missing-layer', layers: [{ files: { gone: 'soon' } }] });
    const pushed = await pushOciImage(reg.url, 'missing/layer', 'v1', built);
    await withImage(`${reg.host}/missing/layer:v1`, options(), async (img) => {
      await unlink(reg.blobPath(pushed.layerDigests[0]!));
      await rejectsWith(img.openLayer(0), 'E_NOT_FOUND', new RegExp(`layer 0 blob ${pushed.layerDigests[0]} not found`));
      await rejectsWith(img.openLayer(5), 'E_INPUT', /no layer 5/);
    });
  });

  it('refuses non-image artifacts with E_UNSUPPORTED', async () => {
    const empty = Buffer.from('{}');
    await pushBlob(reg.url, 'charts/app', empty);
    const chart = Buffer.from('not really a chart');
    const chartDigest = await pushBlob(reg.url, 'charts/app', chart);
    const layers = [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: chartDigest, size: chart.length }];
    const emptyConfig = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.length };
    await pushManifest(reg.url, 'charts/app', 'empty', OCI_MANIFEST, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: 'application/vnd.example', config: emptyConfig, layers })));
    const helmConfig = { ...emptyConfig, mediaType: 'application/vnd.cncf.helm.config.v1+json' };
    await pushManifest(reg.url, 'charts/app', 'helm', OCI_MANIFEST, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: helmConfig, layers })));
    await rejectsWith(
      openRegistryImage(`${reg.host}/charts/app:empty`, options()),
      'E_UNSUPPORTED',
      new RegExp(`^${reg.host}/charts/app:empty: not a container image \\(config media type application/vnd\\.oci\\.empty\\.v1\\+json\\)$`),
    );
    await rejectsWith(openRegistryImage(`${reg.host}/charts/app:helm`, options()), 'E_UNSUPPORTED', /config media type application\/vnd\.cncf\.helm\.config\.v1\+json/);
  });

  describe('multi-platform index', () => {
    const platforms = [
      { architecture: 'amd64' },
      { architecture: 'arm64', variant: 'v8' },
      { architecture: 'arm', variant: 'v7' },
    ];
    let indexDigest = '';
    const childDigests = new Map<string, string>();
    before(async () => {
      const manifests: object[] = [];
      for (const p of platforms) {
        const built = await buildImage({ label: `multi-${p.architecture}`, architecture: p.architecture, variant: p.variant, layers: [{ files: { arch: p.architecture } }] });
        const pushed = await pushOciImage(reg.url, 'multi/app', `only-${p.architecture}`, built);
        childDigests.set(p.architecture, pushed.digest);
        manifests.push({ mediaType: OCI_MANIFEST, digest: pushed.digest, size: pushed.manifest.length, platform: { os: 'linux', ...p } });
      }
      // An attestation entry, as buildx writes: it must never be picked nor listed.
      manifests.push({ ...(manifests[0] as object), platform: { os: 'unknown', architecture: 'unknown' } });
      indexDigest = await pushManifest(reg.url, 'multi/app', 'latest', OCI_INDEX, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })));
    });

    it('picks linux/amd64 by default; repoDigests names the index, manifestDigest the image', async () => {
      await withImage(`${reg.host}/multi/app`, options(), async (img) => {
        assert.equal(img.config.architecture, 'amd64');
        assert.equal(img.manifestDigest, childDigests.get('amd64'));
        assert.deepEqual(img.repoDigests, [`${reg.host}/multi/app@${indexDigest}`]);
        await assertLayersVerify(img);
      });
    });

    it('honours --platform arm64 and arm/v7', async () => {
      await withImage(`${reg.host}/multi/app:latest`, options({ platform: { os: 'linux', architecture: 'arm64' } }), async (img) => {
        assert.equal(img.config.architecture, 'arm64');
      });
      await withImage(`${reg.host}/multi/app@${indexDigest}`, options({ platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }), async (img) => {
        assert.equal(img.config.architecture, 'arm');
        assert.equal(img.manifestDigest, childDigests.get('arm'));
      });
    });

    it('lists the available platforms when none matches', async () => {
      await rejectsWith(
        openRegistryImage(`${reg.host}/multi/app`, options({ platform: { os: 'linux', architecture: 's390x' } })),
        'E_NOT_FOUND',
        /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7\)$/,
      );
      await rejectsWith(
        openRegistryImage(`${reg.host}/multi/app`, options({ platform: { os: 'linux', architecture: 'arm', variant: 'v6' } })),
        'E_NOT_FOUND',
        /linux\/arm\/v6/,
      );
    });
  });
});

describe('htpasswd (basic auth) registry', () => {
  let reg: RunningRegistry;
  const creds = { username: USER, password: PASS };
  before(async () => {
    reg = await startRegistry({ kind: 'htpasswd', ...creds });
    await pushArchive(reg, 'private/app:2.0', creds);
  });
  after(async () => reg?.stop());

  it('pulls with --username/--password', async () => {
    await withImage(`${reg.host}/private/app:2.0`, options(creds), assertLayersVerify);
  });

  it('refuses a wrong password and a missing login with E_AUTH', async () => {
    await rejectsWith(openRegistryImage(`${reg.host}/private/app:2.0`, options({ username: USER, password: 'wrong' })), 'E_AUTH', /rejected the credentials from options \(HTTP 401\)/);
    await rejectsWith(openRegistryImage(`${reg.host}/private/app:2.0`, options()), 'E_AUTH', /requires a login and no credentials were found/);
  });

  it('reads BULWARK_USERNAME / BULWARK_PASSWORD', async () => {
    process.env.BULWARK_USERNAME = USER;
    process.env.BULWARK_PASSWORD = PASS;
    try {
      await withImage(`${reg.host}/private/app:2.0`, options(), async (img) => assert.equal(img.layers.length, 2));
    } finally {
      delete process.env.BULWARK_USERNAME;
      delete process.env.BULWARK_PASSWORD;
    }
  });

  it('reads auths[host].auth from a docker config.json (path option and DOCKER_CONFIG dir)', async () => {
    const dir = join(scratch, 'docker-config');
    await mkdir(dir, { recursive: true });
    const auth = Buffer.from(`${USER}:${PASS}`).toString('base64');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [`http://${reg.host}`]: { auth } } }));
    await withImage(`${reg.host}/private/app:2.0`, options({ dockerConfigPath: join(dir, 'config.json') }), async (img) => assert.equal(img.layers.length, 2));
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = dir;
    try {
      await withImage(`${reg.host}/private/app:2.0`, options({ dockerConfigPath: undefined }), async (img) => assert.equal(img.layers.length, 2));
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
    const bad = Buffer.from(`${USER}:nope`).toString('base64');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: bad } } }));
    await rejectsWith(openRegistryImage(`${reg.host}/private/app:2.0`, options({ dockerConfigPath: dir })), 'E_AUTH', /config\.json auths/);
  });

  it('says so when the docker config names a credential helper that is missing', async () => {
    const path = join(scratch, 'helper-config.json');
    await writeFile(path, JSON.stringify({ credsStore: 'bulwark-test-missing' }));
    await rejectsWith(openRegistryImage(`${reg.host}/private/app:2.0`, options({ dockerConfigPath: path })), 'E_AUTH', /docker-credential-bulwark-test-missing is not installed/);
  });
});

describe('token (bearer) registry', () => {
  let reg: RunningRegistry;
  const creds = { username: USER, password: PASS };
  before(async () => {
    reg = await startRegistry({ kind: 'token', ...creds });
    await pushArchive(reg, 'secure/app:3.0', creds);
  });
  after(async () => reg?.stop());

  it('follows the Bearer challenge, gets a real JWT and re-uses it for every request', async () => {
    const before = reg.token!.issued;
    await withImage(`${reg.host}/secure/app:3.0`, options(creds), assertLayersVerify);
    assert.equal(reg.token!.issued - before, 1, 'one token for manifest, config and all layers');
  });

  it('E_AUTH when the token server refuses the password or the registry refuses an anonymous token', async () => {
    await rejectsWith(openRegistryImage(`${reg.host}/secure/app:3.0`, options({ username: USER, password: 'bad' })), 'E_AUTH', /token server http:\/\/127\.0\.0\.1:\d+\/token refused the credentials from options \(HTTP 401\)/);
    await rejectsWith(openRegistryImage(`${reg.host}/secure/app:3.0`, options()), 'E_AUTH', /refused the token for repository secure\/app/);
  });
});

describe('misbehaving registries (fake servers on 127.0.0.1)', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) await closeServer(s);
  });
  async function fake(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    return listen(server);
  }

  it('HTML, non-manifest JSON and wrong content types are E_REGISTRY', async () => {
    const host = await fake((req, res) => {
      if (req.url?.includes('/html/')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx</body></html>');
      else if (req.url?.includes('/notjson/')) res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops');
      else if (req.url?.includes('/badjson/')) res.writeHead(200, { 'content-type': OCI_MANIFEST }).end('{"schemaVersion":2,"config":{}}');
      else res.writeHead(500).end('boom');
    });
    await rejectsWith(openRegistryImage(`${host}/html/app`, options()), 'E_REGISTRY', /content type "text\/html" instead of a manifest/);
    await rejectsWith(openRegistryImage(`${host}/notjson/app`, options()), 'E_REGISTRY', /not JSON/);
    await rejectsWith(openRegistryImage(`${host}/badjson/app`, options()), 'E_REGISTRY', /malformed manifest \(config\.mediaType: Required\)/);
    await rejectsWith(openRegistryImage(`${host}/down/app`, options()), 'E_REGISTRY', /HTTP 500/);
  });

  it('a registry that never answers is E_TIMEOUT within timeoutMs', async () => {
    const host = await fake(() => undefined);
    const started = Date.now();
    await rejectsWith(openRegistryImage(`${host}/stall/app:1`, options({ timeoutMs: 1500 })), 'E_TIMEOUT', new RegExp(`registry ${host} did not answer within 1500 ms \\(GET http://${host}/v2/stall/app/manifests/1\\)`));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1400 && elapsed < 4000, `took ${elapsed} ms`);
  });

  it('a blob that stalls mid-body errors the layer stream with E_TIMEOUT; redirects to storage drop the credentials', async () => {
    const built = await buildImage({ label: 'fake', layers: [{ files: { f: 'fake' } }] });
    const layer = Buffer.from('0123456789'.repeat(1000));
    const layerDigest = sha256(layer);
    let storageSawAuth: string | undefined = 'unset';
    const storage = await fake((req, res) => {
      storageSawAuth = req.headers.authorization;
      res.writeHead(200, { 'content-length': String(layer.length * 2) });
      res.write(layer); // then stall, never finishing
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: built.configDigest, size: built.config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    });
    const host = await fake((req, res) => {
      if (req.headers.authorization !== 'Bearer static-token') res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://127.0.0.1:1/none"' }).end();
      else if (req.url?.includes('/manifests/')) res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(manifest);
      else if (req.url?.endsWith(built.configDigest)) res.writeHead(200).end(built.config);
      else res.writeHead(307, { location: `http://${storage}/bucket/blob?X-Signature=secret` }).end();
    });
    await withImage(`${host}/fake/app:1`, options({ timeoutMs: 1500, registryToken: 'static-token' }), async (img) => {
      assert.equal(img.layers[0]!.digest, layerDigest);
      const stream = await img.openLayer(0);
      await rejectsWith(digestOf(stream), 'E_TIMEOUT', /stalled sending data for more than 1500 ms \(GET http:\/\/127\.0\.0\.1:\d+\/bucket\/blob\)$/);
      assert.equal(storageSawAuth, undefined, 'storage must not see the registry token');
    });
  });

  it('a layer-count mismatch between manifest and config is E_FORMAT', async () => {
    const built = await buildImage({ label: 'count', layers: [{ files: { a: '1' } }, { files: { b: '2' } }] });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: built.configDigest, size: built.config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: built.diffIds[0], size: built.layers[0]!.length }],
    });
    const host = await fake((req, res) => {
      if (req.url?.includes('/manifests/')) res.writeHead(200, { 'content-type': 'application/json' }).end(manifest);
      else res.writeHead(200).end(built.config);
    });
    await rejectsWith(openRegistryImage(`${host}/count/app`, options()), 'E_FORMAT', /manifest lists 1 layers but the config's rootfs\.diff_ids has 2/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { debianFixtures, dpkgQueryOracle, type DebianFixtures, type DpkgRow } from '../support/images.js';
import { inventoryOf } from '../support/inventory.js';
import { skopeoCopy, startRegistry, type RunningRegistry } from '../support/registry.js';

const exec = promisify(execFile);

async function scan(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ImageScanResult> {
  const result = await runCli(['image', ...args, '--scanners', 'none', '--format', 'json', '--no-progress'], { env });
  assert.equal(result.code, 0, `bulwark ${args.join(' ')} failed: ${result.stderr}`);
  assert.equal(result.stderr, '', 'stderr stays quiet when it is not a terminal');
  return JSON.parse(result.stdout) as ImageScanResult;
}

describe('one inventory whatever the image source', () => {
  let fx: DebianFixtures;
  let oracle: DpkgRow[];
  let open: RunningRegistry;
  let privateRegistry: RunningRegistry;
  let work: string;
  const creds = { username: 'scanner', password: 's3cret-pass' };

  before(async () => {
    fx = await debianFixtures();
    oracle = await dpkgQueryOracle(fx.appImage);
    work = await mkdtemp(join(tmpdir(), 'bulwark-e2e-'));
    open = await startRegistry({ kind: 'open' });
    privateRegistry = await startRegistry({ kind: 'htpasswd', ...creds });
    await skopeoCopy(fx.dockerArchive, `${open.host}/test/app:1.0`);
    await skopeoCopy(fx.dockerArchive, `${privateRegistry.host}/test/app:1.0`, creds);
  });

  after(async () => {
    await open?.stop();
    await privateRegistry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reads the docker-archive and matches dpkg-query run inside the image, package for package', async () => {
    const result = await scan(['--input', fx.dockerArchive]);
    const ours = result.packages
      .filter((p) => p.type === 'deb')
      .map((p) => [p.name, p.arch, p.version, p.sourceName, p.sourceVersion].join('\t'))
      .sort();
    const expected = oracle.map((r) => [r.package, r.architecture, r.version, r.sourcePackage, r.sourceVersion].join('\t')).sort();
    assert.ok(expected.length > 50, 'the oracle sees a real package set');
    assert.deepEqual(ours, expected);
    assert.equal(result.os?.family, 'debian');
    assert.equal(result.os?.version, '12');
    assert.equal(result.os?.codename, 'bookworm');
  });

  it('gives the identical inventory through OCI layouts, the Engine API and registries with and without auth', async () => {
    const reference = inventoryOf(await scan(['--input', fx.dockerArchive]));
    const configDir = join(work, 'docker-config');
    await mkdir(configDir, { recursive: true });
    const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [privateRegistry.host]: { auth } } }));
    const variants: Array<[string, string[], NodeJS.ProcessEnv?]> = [
      ['oci layout dir', ['--input', fx.ociDir]],
      ['oci layout tar', ['--input', fx.ociTar]],
      ['engine api', [fx.appImage, '--image-src', 'docker']],
      ['open registry', [`${open.host}/test/app:1.0`, '--image-src', 'remote']],
      ['registry, flags', [`${privateRegistry.host}/test/app:1.0`, '--image-src', 'remote', '--username', creds.username, '--password', creds.password]],
      ['registry, config.json', [`${privateRegistry.host}/test/app:1.0`, '--image-src', 'remote'], { DOCKER_CONFIG: configDir }],
      ['bare name: engine first', [fx.appImage]],
    ];
    for (const [name, args, env] of variants) {
      assert.deepEqual(inventoryOf(await scan(args, env)), reference, `${name} differs from the docker-archive inventory`);
    }
  });

  it('reads gzip- and zstd-compressed layers to the same inventory', async () => {
    const reference = inventoryOf(await scan(['--input', fx.dockerArchive]));
    for (const format of ['gzip', 'zstd']) {
      const dir = join(work, `oci-${format}`);
      await exec('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-compress', '--dest-compress-format', format, `docker-archive:${fx.dockerArchive}`, `oci:${dir}:app`], { timeout: 300_000 });
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
      const manifest = JSON.parse(await readFile(join(dir, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: Array<{ mediaType: string }> };
      assert.ok(manifest.layers.every((l) => l.mediaType.endsWith(`+${format}`)), `skopeo wrote ${format} layers`);
      assert.deepEqual(inventoryOf(await scan(['--input', dir])), reference, `${format} layers differ`);
    }
  });

  it('without credentials the private registry answers with a one-line auth error', async () => {
    const result = await runCli(['image', `${privateRegistry.host}/test/app:1.0`, '--image-src', 'remote', '--scanners', 'none', '--format', 'json'], { env: { DOCKER_CONFIG: join(work, 'none') } });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^bulwark: error: .*(auth|401|credentials|unauthorized)/i);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});

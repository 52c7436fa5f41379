import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { phpDetector } from '../../src/modules/detector/php/index.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, type CachedImage } from '../support/images.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/php-app/', import.meta.url));
const docker = async (...args: string[]) => (await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;

interface Shown { installed?: Array<{ name: string; version: string }>; locked?: Array<{ name: string; version: string }> }

describe('composer packages in an image where Debian composer installed them', () => {
  let fx: CachedImage;
  let work: string;
  let result: ImageScanResult;
  /** Runs composer itself in the image, offline. */
  const composer = async (...args: string[]) =>
    docker('run', '--rm', '--network', 'none', '-e', 'COMPOSER_HOME=/tmp/c', '-w', '/srv/app', fx.image, 'composer', '--no-interaction', ...args);
  const rows = (list: Array<{ name: string; version: string }> = []) => list.map((p) => `${p.name} ${p.version}`).sort();

  before(async () => {
    fx = await cachedImage('php-app', CONTEXT);
    work = await mkdtemp(join(tmpdir(), 'bulwark-php-e2e-'));
    const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    result = await scanImage(source, { detectors: [phpDetector] });
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('matches `composer show` (all, and --no-dev for the prod scope)', async () => {
    const all = JSON.parse(await composer('show', '--format=json')) as Shown;
    const prod = JSON.parse(await composer('show', '--no-dev', '--format=json')) as Shown;
    assert.equal(all.installed?.length, 3);
    assert.deepEqual(result.packages.map((p) => `${p.name} ${p.version}`).sort(), rows(all.installed));
    assert.deepEqual(result.packages.filter((p) => p.scope === 'prod').map((p) => `${p.name} ${p.version}`).sort(), rows(prod.installed));
    assert.deepEqual(result.notices, []);
  });

  it('matches `composer licenses`, with composer purls, installed evidence and the installing layer', async () => {
    const licenses = JSON.parse(await composer('licenses', '--format=json')) as { dependencies: Record<string, { version: string; license: string[] }> };
    for (const [name, dep] of Object.entries(licenses.dependencies)) {
      const ours = result.packages.find((p) => p.name === name)!;
      assert.deepEqual(ours.licenses, dep.license, name);
    }
    const http = result.packages.find((p) => p.name === 'acme/http')!;
    assert.equal(http.purl, 'pkg:composer/acme/http@2.0.1');
    assert.equal(http.location, '/srv/app/vendor/composer/installed.json');
    assert.equal(http.evidence, 'installed');
    assert.match(http.layer?.createdBy ?? '', /composer install/);
    assert.ok(!result.packages.some((p) => p.location.endsWith('composer.lock')), 'composer.lock does not count in an image');
  });

  it('in a directory, also reads composer.lock, matching `composer show --locked`', async () => {
    const root = join(work, 'rootfs');
    await mkdir(root);
    const id = (await docker('create', fx.image)).trim();
    try {
      await docker('cp', `${id}:/srv/app`, join(root, 'app'));
    } finally {
      await docker('rm', id);
    }
    const dir = await scanDirectory(root, { detectors: [phpDetector] });
    const locked = JSON.parse(await composer('show', '--locked', '--format=json')) as Shown;
    const fromLock = dir.packages.filter((p) => p.evidence === 'lockfile');
    assert.deepEqual(fromLock.map((p) => `${p.name} ${p.version}`).sort(), rows(locked.locked));
    assert.deepEqual(fromLock.filter((p) => p.scope === 'dev').map((p) => p.name), ['acme/testkit']);
    assert.ok(fromLock.every((p) => p.location === '/app/composer.lock'));
    assert.equal(dir.packages.filter((p) => p.evidence === 'installed').length, 3);
  });
});

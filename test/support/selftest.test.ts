/**
 * Exercises the test-support code itself, so CI notices when a fixture recipe or generator breaks.
 * Needs a running engine: `bash scripts/start-dockerd.sh` first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as hostile from './hostile.js';
import { debianFixtures, dpkgQueryOracle } from './images.js';

describe('debianFixtures', () => {
  it('builds the images and exports, and the dpkg oracle sees the installed packages', async () => {
    const fx = await debianFixtures();
    assert.match(fx.recipeHash, /^[0-9a-f]{64}$/);
    assert.ok(fx.appImage.endsWith(fx.recipeHash.slice(0, 8)));
    assert.ok(statSync(fx.dockerArchive).size > 10_000_000);
    assert.ok(statSync(fx.ociTar).size > 10_000_000);
    const index = JSON.parse(readFileSync(join(fx.ociDir, 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 1);
    assert.ok(existsSync(join(fx.ociDir, 'oci-layout')));
    assert.equal(await debianFixtures(), await debianFixtures(), 'memoized per process');

    const rows = await dpkgQueryOracle(fx.appImage);
    assert.ok(rows.length > 50, `only ${rows.length} installed packages`);
    const byName = new Map(rows.map((r) => [r.package, r]));
    for (const name of ['curl', 'libcurl4', 'libssl3', 'openssl', 'python3-minimal']) assert.ok(byName.has(name), name);
    assert.equal(byName.get('libcurl4')?.sourcePackage, 'curl');
    assert.equal(byName.get('libssl3')?.sourcePackage, 'openssl');
    assert.equal(byName.get('python3-minimal')?.sourcePackage, 'python3-defaults');
    const base = await dpkgQueryOracle(fx.baseImage);
    assert.ok(base.length > 50 && base.length < rows.length);
  });
});

describe('hostile generators', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-hostile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, (d: string) => Promise<string>]> = [
    ['validSmallImage', hostile.validSmallImage],
    ['pathTraversalImage', hostile.pathTraversalImage],
    ['absolutePathImage', hostile.absolutePathImage],
    ['symlinkEscapeImage', hostile.symlinkEscapeImage],
    ['corruptGzipLayerImage', hostile.corruptGzipLayerImage],
    ['truncatedLayerImage', hostile.truncatedLayerImage],
    ['diffIdMismatchImage', hostile.diffIdMismatchImage],
    ['missingLayerImage', hostile.missingLayerImage],
    ['nonImageTar', hostile.nonImageTar],
  ];
  for (const [name, generate] of cases) {
    it(`${name} writes a tar`, async () => {
      const path = await generate(dir);
      assert.ok(statSync(path).size >= 1024 && statSync(path).size % 512 === 0, path);
    });
  }

  it('decompressionBombImage stays small on disk while claiming 1 GiB', async () => {
    const path = await hostile.decompressionBombImage(dir);
    const size = statSync(path).size;
    assert.ok(size < 4 * 1024 * 1024, `${size} bytes`);
  });
});

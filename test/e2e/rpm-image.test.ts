import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { sha256, writeDockerArchive } from '../support/registry.js';
import { missingRpmTools, rpmFixtures, type OracleRow, type RpmFixtures } from '../support/rpm-fixtures.js';

const exec = promisify(execFile);
const ROCKY_OS_RELEASE = 'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nVERSION_ID="9.4"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n';

/** A real layer tar of a directory, made by GNU tar as image builders do. */
async function tarOf(dir: string): Promise<Buffer> {
  const { stdout } = await exec('tar', ['-C', dir, '--numeric-owner', '-cf', '-', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function imageOf(path: string, layerDirs: string[], osRoot: string): Promise<void> {
  const layers = [await tarOf(osRoot), ...(await Promise.all(layerDirs.map(tarOf)))];
  const diffIds = layers.map((l) => sha256(l));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds }, history: layers.map((_, i) => ({ created_by: `step ${i}` })) }));
  await writeDockerArchive(path, { config, configDigest: sha256(config), layers, diffIds }, 'rocky-rpm:test');
}

const row = (r: OracleRow) => [r.name, r.epoch === '(none)' || r.epoch === '' ? '' : r.epoch, r.version, r.release, r.arch, r.sourceRpm, r.license].join(' ');

describe('rpm databases inside images, read through the CLI', async () => {
  const missing = await missingRpmTools();
  let fx: RpmFixtures;
  let work: string;
  let osRoot: string;
  before(async () => {
    if (missing) return;
    fx = await rpmFixtures();
    work = await mkdtemp(join(tmpdir(), 'bulwark-rpm-e2e-'));
    osRoot = join(work, 'os');
    await exec('mkdir', ['-p', join(osRoot, 'etc')]);
    await exec('sh', ['-c', `printf '%s' '${ROCKY_OS_RELEASE}' > ${join(osRoot, 'etc/os-release')}`]);
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function scan(path: string): Promise<ImageScanResult> {
    const result = await runCli(['image', '--input', path, '--scanners', 'none', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ImageScanResult;
  }

  const ours = (result: ImageScanResult) =>
    result.packages
      .filter((p) => p.type === 'rpm')
      .map((p) => [p.name, p.epoch ?? '', p.version.replace(/^\d+:/, '').replace(/-[^-]+$/, ''), p.release, p.arch, `${p.sourceName}-${p.sourceVersion}.src.rpm`, p.licenses.join(' ')].join(' '))
      .sort();

  it('an image whose layers install, add and upgrade rpm packages matches rpm -qa, with installing layers', { skip: missing }, async () => {
    const path = join(work, 'rpm-layers.tar');
    await imageOf(path, fx.layerRoots, osRoot);
    const result = await scan(path);
    assert.equal(result.os?.family, 'rocky');
    assert.deepEqual(ours(result), fx.oracle.map(row).sort());
    const layerOf = new Map(result.packages.map((p) => [p.name, p.layer?.index]));
    assert.deepEqual([layerOf.get('alpha'), layerOf.get('gamma'), layerOf.get('beta')], [1, 2, 3], 'base layer 0 holds only os-release');
    assert.ok(result.packages.every((p) => p.purl.startsWith('pkg:rpm/rocky/') && p.purl.includes('distro=rocky-9.4')));
  });

  for (const format of ['bdb', 'ndb'] as const) {
    it(`a ${format} database in an image gives the same packages`, { skip: missing }, async () => {
      const path = join(work, `rpm-${format}.tar`);
      await imageOf(path, [format === 'bdb' ? fx.bdbRoot : fx.ndbRoot], osRoot);
      const result = await scan(path);
      assert.deepEqual(ours(result), fx.oracle.map(row).sort());
    });
  }
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { debianFixtures, type DebianFixtures } from '../support/images.js';
import { reportValidator } from '../report/helpers.js';

const exec = promisify(execFile);

describe('bulwark fs: a directory or mounted root filesystem', () => {
  let fx: DebianFixtures;
  let work: string;
  let rootfs: string;
  before(async () => {
    fx = await debianFixtures();
    work = await mkdtemp(join(tmpdir(), 'bulwark-fs-'));
    rootfs = join(work, 'rootfs');
    await mkdir(rootfs);
    const { stdout } = await exec('docker', ['create', '--network', 'none', fx.appImage]);
    const id = stdout.trim();
    try {
      await exec('sh', ['-c', `docker export ${id} | tar -C ${rootfs} -xf -`], { maxBuffer: 64 * 1024 * 1024 });
    } finally {
      await exec('docker', ['rm', '-f', id]);
    }
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function scan(args: string[]): Promise<ImageScanResult> {
    const result = await runCli(args.concat(['--scanners', 'none', '--format', 'json']));
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ImageScanResult;
  }

  it("an exported root filesystem gives the image's OS and OS packages", async () => {
    const image = await scan(['image', '--input', fx.dockerArchive]);
    const dir = await scan(['fs', rootfs]);
    const osPackages = (r: ImageScanResult) => r.packages.filter((p) => p.type === 'deb').map(({ layer: _layer, ...rest }) => rest);
    assert.equal(dir.artifact.source, 'directory');
    assert.deepEqual(dir.os, image.os);
    assert.deepEqual(osPackages(dir), osPackages(image));
    assert.ok(osPackages(dir).length > 100);
  });

  it('lockfiles count in directories, and the JSON report validates against its schema', async () => {
    const fixtures = new URL('../fixtures/', import.meta.url).pathname;
    const dir = await scan(['fs', join(fixtures, 'python-lockfiles')]);
    assert.deepEqual(reportValidator()(dir), []);
    assert.ok(dir.packages.length > 10);
    assert.ok(dir.packages.every((p) => p.type === 'pypi' && p.evidence === 'lockfile' && p.layer === undefined));
    assert.deepEqual(dir.artifact.layers, []);
  });

  it('symlinks are read inside the scanned root, never outside it', async () => {
    const dir = join(work, 'escape');
    await mkdir(join(dir, 'etc'), { recursive: true });
    await exec('ln', ['-s', '../../../../../../etc/os-release', join(dir, 'etc/os-release')]);
    const result = await runCli(['fs', dir, '--scanners', 'none', '--format', 'json']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^bulwark: error: symlink \/etc\/os-release -> .* escapes the image root\n$/);
  });

  it('a path that is not a directory is a one-line error', async () => {
    const file = join(work, 'plain.txt');
    await writeFile(file, 'x');
    for (const [path, message] of [[file, 'not a directory'], [join(work, 'missing'), 'no such file or directory']]) {
      const result = await runCli(['fs', path!, '--scanners', 'none']);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `bulwark: error: ${path}: ${message}\n`);
    }
  });
});

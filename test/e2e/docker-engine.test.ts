import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { debianFixtures, type DebianFixtures } from '../support/images.js';
import { inventoryOf } from '../support/inventory.js';

const exec = promisify(execFile);

describe('local images through the Docker Engine API', () => {
  let fx: DebianFixtures;
  let work: string;
  let imageId: string;
  before(async () => {
    fx = await debianFixtures();
    work = await mkdtemp(join(tmpdir(), 'bulwark-engine-'));
    imageId = (await exec('docker', ['image', 'inspect', '-f', '{{.Id}}', fx.appImage])).stdout.trim();
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function scan(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ImageScanResult> {
    const result = await runCli(['image', ...args, '--scanners', 'none', '--format', 'json', '--image-src', 'docker'], { env });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ImageScanResult;
  }

  it('finds an image by full ID and by short ID, with its tags from the engine', async () => {
    const byName = await scan([fx.appImage]);
    for (const id of [imageId, imageId.slice(7, 19)]) {
      const byId = await scan([id]);
      assert.deepEqual(inventoryOf(byId), inventoryOf(byName));
      assert.equal(byId.artifact.configDigest, imageId);
      assert.ok(byId.artifact.repoTags.includes(fx.appImage));
      assert.equal(byId.artifact.source, 'docker-engine');
    }
  });

  it('honours DOCKER_HOST and --docker-host', async () => {
    const socket = join(work, 'elsewhere.sock');
    await symlink('/var/run/docker.sock', socket);
    const viaEnv = await scan([fx.appImage], { DOCKER_HOST: `unix://${socket}` });
    assert.equal(viaEnv.artifact.configDigest, imageId);
    const missing = `unix://${join(work, 'missing.sock')}`;
    for (const [args, env] of [
      [[], { DOCKER_HOST: missing }],
      [['--docker-host', missing], {}],
    ] as Array<[string[], NodeJS.ProcessEnv]>) {
      const result = await runCli(['image', fx.appImage, '--scanners', 'none', '--image-src', 'docker', ...args], { env });
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^bulwark: error: .*image not found \\(docker: no engine reachable at ${join(work, 'missing.sock')}\\)\n$`));
    }
  });

  it('a bare name falls through to the registry and the error names both attempts', async () => {
    const missing = join(work, 'no-engine.sock');
    const result = await runCli(['image', '127.0.0.1:1/nothing:1', '--timeout', '3s'], { env: { DOCKER_HOST: `unix://${missing}` } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`^bulwark: error: 127\\.0\\.0\\.1:1/nothing:1: .*\\(also tried docker: no engine reachable at ${missing}\\)\n$`));
  });

  it('an image the engine does not have is a one-line not-found error', async () => {
    const result = await runCli(['image', 'bulwark-test/never-built:none', '--image-src', 'docker']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^bulwark: error: bulwark-test\/never-built:none: no such image in the Docker engine/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { HIDDEN_COMMAND } from '../../src/scan/image-scan.js';
import { runCli } from '../support/cli.js';
import { cachedImage, type CachedImage } from '../support/images.js';
import { ALNUM, fake } from '../secrets/fake.js';

const password = fake('e2e-history-run', ALNUM, 18);

describe('a secret on a RUN command line', () => {
  let dir: string;
  let image: CachedImage;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-history-'));
    await writeFile(join(dir, 'Dockerfile'), `ARG BASE\nFROM \${BASE}\nRUN echo "postgres://app:${password}@db:5432/app" > /etc/app-db && rm /etc/app-db\n`);
    image = await cachedImage('secret-history', dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is reported from the history, and the layer\'s command is hidden wherever the layer is named, in every format', async () => {
    const json = await runCli(['image', '--input', image.dockerArchive, '--scanners', 'secret', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as ImageScanResult;
    const fromHistory = result.findings.filter((f) => f.location.resource?.startsWith('history['));
    assert.equal(fromHistory.length, 1, JSON.stringify(result.findings, null, 1));
    const last = result.artifact.layers[result.artifact.layers.length - 1]!;
    assert.equal(last.createdBy, HIDDEN_COMMAND);
    for (const format of ['table', 'json', 'sarif', 'cyclonedx', 'spdx-json']) {
      const r = await runCli(['image', '--input', image.dockerArchive, '--scanners', 'secret', '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(password), `${format} shows the password`);
    }
    const without = await runCli(['image', '--input', image.dockerArchive, '--scanners', 'none', '--format', 'json']);
    assert.ok(without.stdout.includes(password), 'without the secret scanner the command is shown as the image records it');
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliResult } from '../support/cli.js';
import * as hostile from '../support/hostile.js';
import { closeServer, listen } from '../support/registry.js';

const exec = promisify(execFile);

describe('hostile inputs end in one line, exit code 2 and nothing written', () => {
  let fixtures: string;
  before(async () => {
    fixtures = await mkdtemp(join(tmpdir(), 'bulwark-hostile-'));
  });
  after(async () => {
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  /** Runs bulwark in an empty working dir with its own TMPDIR, then checks both stay empty. */
  async function scanHostile(args: string[]): Promise<CliResult> {
    const cwd = await mkdtemp(join(fixtures, 'cwd-'));
    const scratch = await mkdtemp(join(fixtures, 'tmp-'));
    const result = await runCli(['image', ...args, '--scanners', 'none', '--format', 'json', '--output', join(cwd, 'report.json')], { cwd, env: { TMPDIR: scratch }, timeoutMs: 120_000 });
    assert.deepEqual(await readdir(cwd), [], 'no report, partial or temporary file is left');
    assert.deepEqual(await readdir(scratch), [], 'scratch space is cleaned up');
    return result;
  }

  function assertOneLineError(result: CliResult, pattern: RegExp): void {
    assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line, got: ${result.stderr}`);
    assert.match(lines[0]!, /^bulwark: error: /);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.match(lines[0]!, pattern);
  }

  const cases: Array<[string, (dir: string) => Promise<string>, RegExp]> = [
    ['entry with ../', hostile.pathTraversalImage, /climbs out of the image root/],
    ['entry with an absolute path', hostile.absolutePathImage, /absolute path/],
    ['symlink pointing outside the root', hostile.symlinkEscapeImage, /symlink \/etc\/os-release -> .* escapes the image root/],
    ['corrupt gzip', hostile.corruptGzipLayerImage, /corrupt gzip data/],
    ['truncated tar', hostile.truncatedLayerImage, /truncated or malformed tar/],
    ['layer digest mismatch', hostile.diffIdMismatchImage, /uncompressed digest is sha256:[0-9a-f]{64} but the config says/],
    ['manifest naming a missing blob', hostile.missingLayerImage, /layer .* named by manifest.json is missing/],
    ['non-image artifact', hostile.nonImageTar, /not a container image/],
  ];
  for (const [name, make, pattern] of cases) {
    it(name, async () => {
      assertOneLineError(await scanHostile(['--input', await make(fixtures)]), pattern);
    });
  }

  it('a tampered blob in an OCI layout fails its digest check', async () => {
    const dir = join(fixtures, 'oci-tampered');
    await exec('skopeo', ['--insecure-policy', 'copy', '--quiet', `docker-archive:${await hostile.validSmallImage(fixtures)}`, `oci:${dir}:t`]);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    const manifest = JSON.parse(await readFile(join(dir, 'blobs/sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: Array<{ digest: string }> };
    await appendFile(join(dir, 'blobs/sha256', manifest.layers[0]!.digest.slice(7)), Buffer.alloc(1024));
    assertOneLineError(await scanHostile(['--input', dir]), /content digest is sha256:.*refusing a tampered or corrupt blob/);
  });

  it('a decompression bomb is stopped by the ratio limit, which a flag can raise', async () => {
    const bomb = await hostile.decompressionBombImage(fixtures);
    assertOneLineError(await scanHostile(['--input', bomb]), /decompression ratio over 200:1.*--max-compression-ratio/);
    assertOneLineError(await scanHostile(['--input', bomb, '--max-layer-size', '100MiB']), /expands past 104857600 bytes/);
    const raised = await runCli(['image', '--input', bomb, '--scanners', 'none', '--format', 'json', '--max-compression-ratio', '5000']);
    assert.equal(raised.code, 0, raised.stderr);
    assert.equal((JSON.parse(raised.stdout) as { artifact: { layers: Array<{ size: number }> } }).artifact.layers[0]!.size > 1024 ** 3, true);
  });

  describe('registries that misbehave', () => {
    const servers: Server[] = [];
    after(async () => {
      for (const s of servers) await closeServer(s);
    });

    it('a registry answering garbage', async () => {
      const server = createServer((req, res) => {
        if (req.url === '/v2/') return res.writeHead(200).end('{}');
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>not a registry</body></html>');
      });
      servers.push(server);
      const host = await listen(server);
      assertOneLineError(await scanHostile([`${host}/app:1`, '--image-src', 'remote']), /app:1/);
    });

    it('a registry that stalls is bounded by --timeout', async () => {
      const server = createServer(() => {
        /* accepts the request and never answers */
      });
      servers.push(server);
      const host = await listen(server);
      const started = Date.now();
      const result = await scanHostile([`${host}/app:1`, '--image-src', 'remote', '--timeout', '1500ms']);
      assertOneLineError(result, /did not answer within 1500 ms/);
      assert.ok(Date.now() - started < 20_000, 'the stall is cut short');
      server.closeAllConnections();
    });
  });

  it('bad flags are usage errors on one line', async () => {
    assertOneLineError(await scanHostile(['--input', join(fixtures, 'nope.tar')]), /nope\.tar: no such file or directory/);
    assertOneLineError(await runCli(['image', 'x', '--platform', 'linux']), /--platform "linux": expected os\/arch/);
    assertOneLineError(await runCli(['image', 'x', '--format', 'xml']), /xml/);
    await mkdir(join(fixtures, 'empty-dir'));
    assertOneLineError(await scanHostile(['--input', join(fixtures, 'empty-dir')]), /not a container image/);
  });
});

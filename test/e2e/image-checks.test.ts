import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { before, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { imageRules } from '../../src/modules/rules/image/index.js';
import { maskSecret } from '../../src/modules/secrets/index.js';
import { runCli } from '../support/cli.js';
import { MISCONFIG_BAD_SECRETS, misconfigImages, type MisconfigImages } from '../support/misconfig-images.js';
import { reportValidator, sarifValidator } from '../report/helpers.js';

/** Regular-file bytes per layer, straight from the docker-archive's layer tars (no Bulwark code). */
async function layerFileBytes(archive: string): Promise<number[]> {
  const files = new Map<string, Buffer>();
  const wanted = new Set<string>();
  const sizes = new Map<string, number>();
  // Pass 1: manifest.json names the layer tars in order.
  await pipeline(createReadStream(archive), (() => {
    const x = extract();
    x.on('entry', (h, body, next) => {
      if (h.name === 'manifest.json') {
        const chunks: Buffer[] = [];
        body.on('data', (c: unknown) => chunks.push(c as Buffer));
        body.on('end', () => { files.set(h.name, Buffer.concat(chunks)); next(); });
      } else body.on('end', next).resume();
    });
    return x;
  })());
  const manifest = JSON.parse(files.get('manifest.json')!.toString()) as { Layers: string[] }[];
  const layers = manifest[0]!.Layers;
  for (const l of layers) wanted.add(l);
  // Pass 2: each layer tar (uncompressed in a docker save), read as a nested tar.
  await pipeline(createReadStream(archive), (() => {
    const x = extract();
    x.on('entry', (h, body, next) => {
      if (!wanted.has(h.name)) return body.on('end', next).resume();
      let total = 0;
      const inner = extract();
      inner.on('entry', (ih, ib, inext) => {
        if (ih.type === 'file' || ih.type === 'contiguous-file') total += ih.size ?? 0;
        ib.on('end', inext).resume();
      });
      inner.on('finish', () => { sizes.set(h.name, total); next(); });
      inner.on('error', next);
      body.pipe(inner);
    });
    return x;
  })());
  return layers.map((l) => sizes.get(l)!);
}

describe('bulwark image: misconfig and secret scanners on real images', () => {
  let images: MisconfigImages;
  let bad: ImageScanResult;
  before(async () => {
    images = await misconfigImages();
    const r = await runCli(['image', '--input', images.bad.dockerArchive, '--scanners', 'misconfig,secret', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    bad = JSON.parse(r.stdout) as ImageScanResult;
  });

  it('reports the image rules the bad image breaks, each with its cross-reference ids, and a schema-valid report', () => {
    assert.deepEqual(bad.scanners, ['misconfig', 'secret']);
    assert.deepEqual(reportValidator()(bad), []);
    const ids = new Set(bad.findings.filter((f) => f.kind === 'misconfiguration').map((f) => f.id));
    const known = new Map(imageRules().map((r) => [r.id, r]));
    const fired = [...ids].filter((id) => known.has(id));
    assert.ok(fired.length >= Math.ceil(known.size * 0.75), `only ${fired.length} of ${known.size} image rules fired: ${fired.join(' ')}`);
    for (const f of bad.findings.filter((x) => x.kind === 'misconfiguration')) {
      const meta = known.get(f.id)!;
      assert.ok(meta, `${f.id} is an image rule`);
      assert.deepEqual(f.aliases, meta.aliases);
      assert.equal(f.target, images.bad.dockerArchive);
    }
    const titles = bad.findings.map((f) => `${f.id} ${f.aliases.join(' ')}`).join('\n');
    for (const alias of ['CIS-DI-0001', 'CIS-DI-0006', 'CIS-DI-0008', 'DKL-DI-0006']) assert.match(titles, new RegExp(alias), alias);
  });

  it('finds the secrets in files, ENV and history with their layer, masked, and the documented example key at LOW', () => {
    const s = MISCONFIG_BAD_SECRETS;
    const secrets = bad.findings.filter((f) => f.kind === 'secret');
    const inEnv = secrets.find((f) => f.location.path === s.paths.env);
    assert.ok(inEnv?.location.layer && inEnv.location.line, 'the .env file secret has a layer and a line');
    assert.ok(secrets.some((f) => f.location.resource === 'ENV GITHUB_TOKEN'), 'the token in ENV');
    assert.ok(secrets.some((f) => f.location.path === s.paths.sshPrivateKey), 'the OpenSSH private key');
    const example = secrets.filter((f) => f.location.path === s.paths.readme);
    assert.ok(example.length > 0 && example.every((f) => f.severity === 'LOW'), 'the documented AWS example key is LOW');
    assert.ok(JSON.stringify(bad).includes(maskSecret(s.githubToken)), 'the masked token is shown');
  });

  it('never prints a secret unmasked, in any output format', async () => {
    const s = MISCONFIG_BAD_SECRETS;
    const raw = [s.awsAccessKeyId, s.awsSecretAccessKey, s.githubToken, s.npmToken, s.pypiToken];
    for (const format of ['table', 'json', 'sarif', 'cyclonedx', 'spdx-json']) {
      const r = await runCli(['image', '--input', images.bad.dockerArchive, '--scanners', 'misconfig,secret', '--format', format]);
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
      for (const value of raw) {
        assert.ok(!r.stdout.includes(value), `${format} shows a secret unmasked`);
        assert.ok(!r.stderr.includes(value), `${format} stderr shows a secret unmasked`);
      }
      if (format === 'sarif') assert.deepEqual(sarifValidator()(JSON.parse(r.stdout)), []);
      if (format === 'table') {
        assert.match(r.stdout, /^Misconfigurations: \d+/m);
        assert.match(r.stdout, /^Secrets: \d+/m);
        assert.match(r.stdout, /^Lean image$/m);
        assert.match(r.stdout, /^Efficiency +\d/m);
      }
    }
  });

  it('drops what --secret-config allows, and refuses a bad config in one line before reading the image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-secret-cfg-'));
    const cfg = join(dir, 'secrets.yaml');
    await writeFile(cfg, `allow:\n  paths: ["${MISCONFIG_BAD_SECRETS.paths.env.slice(1)}"]\n`);
    const r = await runCli(['image', '--input', images.bad.dockerArchive, '--scanners', 'secret', '--format', 'json', '--secret-config', cfg]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.ok(!result.findings.some((f) => f.location.path === MISCONFIG_BAD_SECRETS.paths.env));
    assert.ok(result.findings.some((f) => f.location.path === MISCONFIG_BAD_SECRETS.paths.awsCredentials), 'other files are still reported');
    await writeFile(cfg, 'allow:\n  pathz: []\n');
    const bad2 = await runCli(['image', '--input', images.bad.dockerArchive, '--scanners', 'secret', '--secret-config', cfg]);
    assert.equal(bad2.code, 2);
    assert.equal(bad2.stdout, '');
    assert.match(bad2.stderr, /^bulwark: error: .*secrets\.yaml: allow: Unrecognized key/);
  });

  it('gives a lean-image report whose numbers agree with the layer tars, and lists removable tools with sizes', async () => {
    const lean = bad.lean!;
    const eff = lean.efficiency!;
    const perLayer = await layerFileBytes(images.bad.dockerArchive);
    assert.equal(eff.layers.length, perLayer.length);
    assert.deepEqual(eff.layers.map((l) => l.addedBytes), perLayer);
    assert.equal(eff.totalBytes, perLayer.reduce((a, b) => a + b, 0));
    assert.equal(eff.finalBytes + eff.wastedBytes, eff.totalBytes);
    assert.ok(eff.efficiency > 0 && eff.efficiency <= 1);
    const tools = new Map(lean.removableTools.map((t) => [t.package ?? t.paths[0]!, t]));
    for (const name of ['curl', 'tcc', 'strace', 'wget']) {
      const t = [...tools.entries()].find(([k]) => k === name || k.startsWith(`${name}`))?.[1];
      assert.ok(t && t.bytes > 0 && t.paths.length > 0, `${name} is listed with its size`);
    }
    const sorted = [...lean.removableTools].sort((a, b) => b.bytes - a.bytes);
    assert.deepEqual(lean.removableTools.map((t) => t.bytes), sorted.map((t) => t.bytes), 'largest first');
  });

  it('finds no misconfiguration and no secret in the hardened image, so --exit-code passes', async () => {
    const r = await runCli(['image', '--input', images.hardened.dockerArchive, '--scanners', 'misconfig,secret', '--format', 'json', '--exit-code', '1']);
    assert.equal(r.code, 0, r.stdout);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.lean?.removableTools, []);
  });

  it('runs all three scanners by default; the hardened image needs no vulnerability database', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'bulwark-empty-db-'));
    const r = await runCli(['image', '--input', images.hardened.dockerArchive, '--format', 'json', '--offline', '--cache-dir', cache]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as ImageScanResult).scanners, ['misconfig', 'secret', 'vuln']);
  });

  it('reports an image older than --max-age and not one within it', async () => {
    const args = ['image', '--input', images.hardened.dockerArchive, '--scanners', 'misconfig', '--format', 'json'];
    const fresh = JSON.parse((await runCli([...args, '--max-age', '3650d'])).stdout) as ImageScanResult;
    const old = JSON.parse((await runCli([...args, '--max-age', '0d'])).stdout) as ImageScanResult;
    assert.equal(fresh.findings.length, 0);
    assert.equal(old.findings.length, 1, JSON.stringify(old.findings));
    const bad2 = await runCli([...args, '--max-age', 'soon']);
    assert.equal(bad2.code, 2);
    assert.match(bad2.stderr, /^bulwark: error: --max-age "soon"/);
  });
});

/**
 * `bulwark registry audit|scan|prune` as a user runs them, against REAL docker-registry processes on 127.0.0.1:
 * an open one holding dated images, a generic artifact and an unsigned image, and a private (htpasswd) one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import type { RegistryScanReport } from '../../src/cli/registry-command.js';
import { runCli } from '../support/cli.js';
import { layerTar, OCI_MANIFEST, pushBlob, pushManifest, sha256, startRegistry, type RunningRegistry } from '../support/registry.js';
import { reportValidator } from '../report/helpers.js';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const DPKG_STATUS = ['Package: base-files', 'Status: install ok installed', 'Architecture: amd64', 'Version: 12.4+deb12u5', '', 'Package: tzdata', 'Status: install ok installed', 'Architecture: all', 'Version: 2024a-0+deb12u1', ''].join('\n');

/** An image on a shared Debian-like base layer, with its own layer and a config `created` time. */
async function pushImage(url: string, repo: string, tags: string[], created: string, label: string): Promise<string> {
  const tars = [await layerTar({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': DPKG_STATUS }), await layerTar({ [`app/${label}.txt`]: `${label}\n` })];
  const config = Buffer.from(
    JSON.stringify({ created, architecture: 'amd64', os: 'linux', config: { Labels: { label } }, rootfs: { type: 'layers', diff_ids: tars.map((t) => sha256(t)) } }),
  );
  const layers = tars.map((t) => gzipSync(t));
  await pushBlob(url, repo, config);
  for (const l of layers) await pushBlob(url, repo, l);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(l), size: l.length })),
    }),
  );
  for (const tag of tags) await pushManifest(url, repo, tag, OCI_MANIFEST, manifest);
  return sha256(manifest);
}

/** An ORAS-style generic artifact: empty config, an artifactType nobody reads as an image. */
async function pushGenericArtifact(url: string, repo: string, tag: string): Promise<void> {
  const empty = Buffer.from('{}');
  const blob = Buffer.from('backup-2026-11-01.tar contents\n');
  await pushBlob(url, repo, empty);
  await pushBlob(url, repo, blob);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.backup.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.length },
      layers: [{ mediaType: 'application/octet-stream', digest: sha256(blob), size: blob.length, annotations: { 'org.opencontainers.image.title': 'backup.tar' } }],
    }),
  );
  await pushManifest(url, repo, tag, OCI_MANIFEST, manifest);
}

async function manifestStatus(url: string, repo: string, digest: string): Promise<number> {
  const res = await fetch(`${url}/v2/${repo}/manifests/${digest}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } });
  return res.status;
}

describe('bulwark registry', () => {
  let open: RunningRegistry;
  let privateReg: RunningRegistry;
  let dir: string;
  const digests: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-registry-e2e-'));
    open = await startRegistry({ kind: 'open' });
    privateReg = await startRegistry({ kind: 'htpasswd', username: 'ci', password: 'secret-pass' });
    digests.r1 = await pushImage(open.url, 'shop/web', ['release-1'], '2026-08-01T00:00:00Z', 'r1');
    digests.r2 = await pushImage(open.url, 'shop/web', ['release-2'], '2026-09-01T00:00:00Z', 'r2');
    digests.r3 = await pushImage(open.url, 'shop/web', ['release-3', 'latest'], '2026-10-01T00:00:00Z', 'r3');
    digests.old = await pushImage(open.url, 'shop/web', ['stable'], '2025-01-01T00:00:00Z', 'old');
    await pushGenericArtifact(open.url, 'backups/db', 'nightly');
  });
  after(async () => {
    await open?.stop();
    await privateReg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('audit: the open registry exposes /v2/, the catalog and pulls anonymously, and stores a non-image artifact', async () => {
    const r = await runCli(['registry', 'audit', open.url, '-f', 'json', '--exit-code', '3']);
    assert.equal(r.code, 3, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(reportValidator()(result), []);
    assert.equal(result.artifact.source, 'registry-audit');
    const ids = result.findings.map((f) => f.id);
    for (const id of ['BW-REG-001', 'BW-REG-002', 'BW-REG-003', 'BW-REG-008', 'BW-REG-010', 'BW-REG-011']) assert.ok(ids.includes(id), `${id} in ${ids.join(' ')}`);
    assert.ok(result.findings.every((f) => f.stackLayer === 'registry'));
    const misuse = result.findings.filter((f) => f.id === 'BW-REG-008');
    assert.deepEqual(misuse.map((f) => f.location.resource?.split(/[:@]/)[0]), ['backups/db']);
  });

  it('audit: a private registry is not open to anonymous clients', async () => {
    const r = await runCli(['registry', 'audit', privateReg.url, '--username', 'ci', '--password', 'secret-pass', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const ids = (JSON.parse(r.stdout) as ImageScanResult).findings.map((f) => f.id);
    for (const id of ['BW-REG-001', 'BW-REG-002', 'BW-REG-003']) assert.ok(!ids.includes(id), `${id} not reported`);
    const wrong = await runCli(['registry', 'audit', privateReg.url, '--username', 'ci', '--password', 'wrong']);
    assert.equal(wrong.stdout.includes('BW-REG-001'), false);
  });

  it('scan: every selected image once, the shared base layer fetched once, and a rerun resumes from the state file', async () => {
    const state = join(dir, 'scan-state.json');
    const args = ['registry', 'scan', open.url, '--repos', 'shop/**', '--scanners', 'misconfig,secret', '--state', state, '-f', 'json'];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr + first.stdout.slice(0, 2000));
    const report = JSON.parse(first.stdout) as RegistryScanReport;
    assert.equal(report.summary.images, 5, 'one image a tag: release-1..3, latest, stable');
    assert.equal(report.summary.ok, report.summary.images);
    for (const image of report.images) {
      assert.equal(image.packages, 2, `${image.reference}: base-files and tzdata from the shared base`);
      assert.ok(image.report, 'the combined report holds each image report');
      assert.deepEqual(reportValidator()(image.report), []);
    }
    const cache = report.summary.layerCache!;
    assert.ok(cache.hits + cache.joined > 0, 'the shared base layer came from the cache');
    const second = JSON.parse((await runCli(args)).stdout) as RegistryScanReport;
    assert.equal(second.summary.resumed, second.summary.images);
    const table = await runCli(['registry', 'scan', open.url, '--repos', 'shop/**', '--tags', 'release-*', '--scanners', 'misconfig']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /IMAGE\s+DIGEST\s+STATUS/);
    assert.match(table.stdout, /3 images: 3 ok, 0 failed/);
  });

  it('prune: the dry run deletes nothing; --apply deletes exactly what the policy expires, and a protected tag survives', async () => {
    const policy = join(dir, 'policy.json');
    await writeFile(
      policy,
      JSON.stringify({
        rules: [
          { rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
          { rulePriority: 2, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 180 }, action: { type: 'expire' } },
        ],
        bulwarkProtectedTags: ['stable'],
      }),
    );
    const now = '2026-11-29T00:00:00Z';
    const dry = await runCli(['registry', 'prune', open.url, '--repos', 'shop/**', '--policy', policy, '--now', now]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: nothing is deleted/);
    for (const d of Object.values(digests)) assert.equal(await manifestStatus(open.url, 'shop/web', d), 200);
    const applied = await runCli(['registry', 'prune', open.url, '--repos', 'shop/**', '--policy', policy, '--now', now, '--apply']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /Deleted 2 manifest\(s\); 0 failed/);
    assert.equal(await manifestStatus(open.url, 'shop/web', digests.r1!), 404);
    assert.equal(await manifestStatus(open.url, 'shop/web', digests.r2!), 404);
    assert.equal(await manifestStatus(open.url, 'shop/web', digests.r3!), 200);
    assert.equal(await manifestStatus(open.url, 'shop/web', digests.old!), 200, 'stable is protected although older than 180 days');
    const tags = (await (await fetch(`${open.url}/v2/shop/web/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags.sort(), ['latest', 'release-3', 'stable']);
  });

  it('fails in one line on a bad policy or an unreachable registry', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'sinceImagePushed', countNumber: 3 }, action: { type: 'expire' } }] }));
    const r = await runCli(['registry', 'prune', open.url, '--policy', bad]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /bad\.json: rule 1: /);
    const down = await runCli(['registry', 'audit', 'http://127.0.0.1:1', '--timeout', '3s']);
    assert.notEqual(down.code, 0);
    assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
  });
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Log } from 'sarif';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { ruleMeta } from '../../src/modules/rules/registry.js';
import { runCli } from '../support/cli.js';
import { reportValidator, sarifValidator } from '../report/helpers.js';

const BAD = [
  'FROM debian',
  'RUN apt-get update && apt-get install curl',
  'ENV DB_PASSWORD=hunter2-not-a-real-one',
  'RUN curl -sSL https://example.invalid/install.sh | sh',
  'COPY . /app',
].join('\n');

const GOOD = [
  'FROM debian:12.8@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  'RUN apt-get update \\',
  ' && apt-get install -y --no-install-recommends ca-certificates=20230311 \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'COPY app/ /app/',
  'USER 10001',
  'HEALTHCHECK CMD ["/app/health"]',
  'CMD ["/app/run"]',
].join('\n');

describe('bulwark dockerfile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-df-'));
    await writeFile(join(dir, 'Dockerfile'), `${BAD}\n`);
    await mkdir(join(dir, 'good'));
    await writeFile(join(dir, 'good', 'Dockerfile'), `${GOOD}\n`);
    await writeFile(join(dir, 'good', '.dockerignore'), '.git\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('prints each finding as file:line, severity, id and hadolint id, and exits 0 unless --exit-code', async () => {
    const r = await runCli(['dockerfile', 'Dockerfile', 'good/Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.ok(lines.some((l) => /^Dockerfile:1 \S+ BW-DF-005 \(DL3006\) /.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^Dockerfile:2 \S+ BW-DF-\d+ \(DL3008\) /.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^Dockerfile:4 .*BW-DF-003/.test(l)), 'curl | sh is reported on its line');
    assert.ok(lines.some((l) => /^Dockerfile:5 .*BW-DF-007/.test(l)), 'COPY . without a .dockerignore');
    assert.match(r.stdout, /^good\/Dockerfile \(0 findings\)$/m);
    assert.ok(!r.stdout.includes('hunter2-not-a-real-one'), 'a secret in ENV is never printed');
    const gated = await runCli(['dockerfile', 'Dockerfile', '--exit-code', '3'], { cwd: dir });
    assert.equal(gated.code, 3);
    const clean = await runCli(['dockerfile', 'good/Dockerfile', '--exit-code', '3'], { cwd: dir });
    assert.equal(clean.code, 0, clean.stdout);
  });

  it('honours --severity and an ignore file like the scans do', async () => {
    const r = await runCli(['dockerfile', 'Dockerfile', '--severity', 'CRITICAL,HIGH', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.ok(result.findings.length > 0);
    assert.ok(result.findings.every((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH'));
    const ignore = join(dir, 'ignore.yaml');
    await writeFile(ignore, 'ignores:\n  - id: DL3006\n    paths: ["Dockerfile"]\n    reason: base pinned by the build system\n');
    const ignored = await runCli(['dockerfile', 'Dockerfile', '--ignorefile', ignore, '--format', 'json', '--exit-code', '1', '--severity', 'MEDIUM'], { cwd: dir });
    const ids = (JSON.parse(ignored.stdout) as ImageScanResult).findings.map((f) => f.id);
    assert.ok(!ids.includes('BW-DF-005'), 'the hadolint alias names the rule in an ignore file');
    const all = (JSON.parse((await runCli(['dockerfile', 'Dockerfile', '--format', 'json', '--severity', 'MEDIUM'], { cwd: dir })).stdout) as ImageScanResult).findings.map((f) => f.id);
    assert.ok(all.includes('BW-DF-005'), 'BW-DF-005 is MEDIUM, so the ignore file is what removed it');
  });

  it('writes a schema-valid JSON report and a SARIF log whose rules come from the rule metadata', async () => {
    const json = await runCli(['dockerfile', 'Dockerfile', '--format', 'json'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as ImageScanResult;
    assert.deepEqual(reportValidator()(result), []);
    assert.deepEqual(result.scanners, ['misconfig']);
    assert.ok(result.findings.every((f) => f.kind === 'misconfiguration' && f.location.path === 'Dockerfile' && (f.location.line ?? 0) >= 1));
    const sarif = await runCli(['dockerfile', 'Dockerfile', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(sarif.stdout) as Log;
    assert.deepEqual(sarifValidator()(log), []);
    const rules = log.runs[0]!.tool.driver.rules!;
    const meta = ruleMeta('BW-DF-005')!;
    const descriptor = rules.find((r) => r.id === 'BW-DF-005')!;
    assert.equal(descriptor.shortDescription?.text, meta.title);
    assert.equal(descriptor.fullDescription?.text, meta.rationale);
    const results = log.runs[0]!.results!.filter((x) => x.ruleId === 'BW-DF-005');
    assert.equal(results[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri, 'Dockerfile');
    assert.equal(results[0]!.locations![0]!.physicalLocation!.region!.startLine, 1);
  });

  it('fails in one line naming the file for a missing file or a directory, with nothing on stdout', async () => {
    for (const [arg, pattern] of [['nope/Dockerfile', /nope\/Dockerfile/], ['good', /good: not a file/]] as const) {
      const r = await runCli(['dockerfile', 'Dockerfile', arg], { cwd: dir });
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('bulwark fs finds and lints Dockerfiles', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-fsdf-'));
    await mkdir(join(dir, 'svc', 'api'), { recursive: true });
    await writeFile(join(dir, 'svc', 'api', 'Dockerfile'), `${BAD}\n`);
    await writeFile(join(dir, 'svc', 'worker.Containerfile'), 'FROM alpine:latest\nRUN apk add curl\n');
    await writeFile(join(dir, 'svc', 'api', 'Dockerfile.dockerignore'), '*\n');
    await writeFile(join(dir, 'notes.txt'), 'FROM debian\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reports Dockerfile findings with the path inside the directory and the line, under --scanners misconfig', async () => {
    const r = await runCli(['fs', dir, '--scanners', 'misconfig', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(result.scanners, ['misconfig']);
    const paths = new Set(result.findings.map((f) => f.location.path));
    assert.deepEqual([...paths].sort(), ['/svc/api/Dockerfile', '/svc/worker.Containerfile']);
    const copyAll = result.findings.find((f) => f.id === 'BW-DF-007');
    assert.equal(copyAll, undefined, 'Dockerfile.dockerignore beside the Dockerfile counts as its ignore file');
    assert.ok(result.findings.some((f) => f.location.path === '/svc/worker.Containerfile' && f.aliases.includes('DL3007') && f.location.line === 1));
    assert.deepEqual(reportValidator()(result), []);
    assert.equal(result.lean, undefined, 'a directory has no lean-image report');
  });
});

describe('bulwark rules', () => {
  it('lists every pack\'s rules with severity, title and aliases', async () => {
    const r = await runCli(['rules']);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['BW-DF-001', 'BW-SEC-001', 'BW-IMG-001']) assert.match(r.stdout, new RegExp(`^${id} `, 'm'));
    assert.match(r.stdout, /DL3008/);
    assert.match(r.stdout, /CIS-DI-0001|CIS-DOCKER-4\.1/);
  });

  it('gives the whole metadata as JSON and filters by pack', async () => {
    const r = await runCli(['rules', '--pack', 'dockerfile', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { packs: { id: string; rules: { id: string; rationale: string; remediation: string; references: string[] }[] }[] };
    assert.deepEqual(doc.packs.map((p) => p.id), ['dockerfile']);
    const files = (await readdir(new URL('../rules/dockerfile/cases/', import.meta.url))).filter((f) => f.endsWith('.Dockerfile'));
    assert.equal(doc.packs[0]!.rules.length, files.length, 'one case file per rule');
    for (const rule of doc.packs[0]!.rules) {
      assert.ok(rule.rationale.length > 20 && rule.remediation.length > 10, rule.id);
      assert.deepEqual(ruleMeta(rule.id), rule);
    }
    const bad = await runCli(['rules', '--pack', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bulwark: error: --pack "nope": expected /);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Log } from 'sarif';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { cisReference } from '../support/cis-reference.js';
import { reportValidator, sarifValidator } from '../report/helpers.js';

/** Every CIS id of sections 1-6 in the reference list the issue names. */
function referenceIds(): string[] {
  return [...cisReference().keys()].filter((id) => /^[1-6](\.\d+)+$/.test(id));
}

describe('bulwark host', () => {
  let live: ImageScanResult;
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-host-e2e-'));
    const r = await runCli(['host', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    live = JSON.parse(r.stdout) as ImageScanResult;
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('audits the live host through the engine: every automatable CIS check of sections 1-6 has a verdict, the report is schema-valid', () => {
    assert.deepEqual(reportValidator()(live), []);
    const audit = live.hostAudit!;
    assert.ok(audit.engine && audit.engine.calls > 0, 'the engine answered');
    assert.ok(audit.daemon && audit.daemon.argv[0]!.endsWith('dockerd'), 'dockerd found in /proc');
    const ids = new Set(audit.sections.flatMap((s) => s.results.map((r) => r.id)));
    const missing = referenceIds().filter((id) => !ids.has(id) && !/^1\.1$|^1\.2$/.test(id));
    assert.deepEqual(missing, [], 'every check of the reference list');
    assert.ok([...ids].some((id) => id.startsWith('F.')), 'footprint checks ran');
    assert.equal(audit.engine!.calls <= 4 + audit.engine!.runningContainers * 2 + 64, true, `API calls: ${audit.engine!.calls}`);
    const warns = audit.sections.flatMap((s) => s.results).filter((r) => r.verdict === 'WARN');
    const findingIds = new Set(live.findings.map((f) => f.id));
    for (const w of warns) assert.ok(findingIds.has(w.id.startsWith('F.') ? `BW-HOST-${w.id.slice(2).padStart(3, '0')}` : `CIS-DOCKER-${w.id}`), `WARN ${w.id} is a finding`);
    assert.ok(live.findings.every((f) => f.stackLayer === 'host' && f.kind === 'misconfiguration'));
  });

  it('prints docker-bench-security\'s layout and JSON, and a valid SARIF log', async () => {
    const table = await runCli(['host']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^\[INFO\] 2 - Docker daemon configuration$/m);
    assert.match(table.stdout, /^\[(PASS|WARN|INFO)\] 5\.\d+ - /m);
    assert.match(table.stdout, /^\[INFO\] Score: -?\d+$/m);
    const bench = await runCli(['host', '--format', 'docker-bench-json']);
    const doc = JSON.parse(bench.stdout) as { tests: { id: string; desc: string; results: { id: string; desc: string; result: string; details?: string; items?: string[] }[] }[]; checks: number; score: number; start: number; end: number };
    assert.deepEqual(doc.tests.slice(0, 6).map((t) => t.id), ['1', '2', '3', '4', '5', '6']);
    assert.ok(doc.tests.every((t) => t.results.every((r) => ['PASS', 'WARN', 'INFO', 'NOTE'].includes(r.result) && typeof r.desc === 'string')));
    assert.equal(doc.checks, doc.tests.reduce((n, t) => n + t.results.length, 0));
    assert.ok(doc.end >= doc.start);
    const sarif = await runCli(['host', '--format', 'sarif']);
    assert.deepEqual(sarifValidator()(JSON.parse(sarif.stdout) as Log), []);
  });

  it('runs without a daemon: the daemon-dependent checks say so, the file checks still run', async () => {
    const r = await runCli(['host', '--docker-host', `unix://${join(work, 'no.sock')}`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const audit = (JSON.parse(r.stdout) as ImageScanResult).hostAudit!;
    assert.equal(audit.engine, undefined);
    const byId = new Map(audit.sections.flatMap((s) => s.results).map((o) => [o.id, o]));
    assert.equal(byId.get('5.5')?.verdict, 'INFO');
    assert.match(byId.get('5.5')?.details ?? '', /no Docker daemon reachable/);
    assert.notEqual(byId.get('3.1')?.details ?? '', 'no Docker daemon reachable: not checked');
  });

  it('gates with --exit-code when a WARN remains, and refuses a bad --root in one line', async () => {
    const gated = await runCli(['host', '--format', 'json', '--exit-code', '7']);
    const warns = (JSON.parse(gated.stdout) as ImageScanResult).findings.length;
    assert.equal(gated.code, warns > 0 ? 7 : 0);
    const bad = await runCli(['host', '--root', join(work, 'missing')]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^bulwark: error: .*missing/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Log } from 'sarif';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { startRecordedAwsApi } from '../support/recorded-aws-api.js';
import { reportValidator, sarifValidator } from '../report/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cloud/', import.meta.url));
const GOOD = [
  'ecs/describe-task-definition-good.json',
  'ecs/describe-services-good.json',
  'ec2/describe-security-groups-good.json',
  'ecr/describe-repositories-good.json',
  'ecr/get-lifecycle-policy-web.json',
  'ecr/get-repository-policy-good.json',
  'iam/get-policy-version-good.json',
  'iam/get-role.json',
];

describe('bulwark cloud (AWS CLI documents)', () => {
  it('reports ECS, IAM, security group and ECR findings with the file, line and JSON pointer', async () => {
    const r = await runCli(['cloud', 'ecs/describe-task-definition-bad.json', 'ec2', 'ecr/describe-repositories-bad.json', '-f', 'json'], { cwd: FIXTURES });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(reportValidator()(result), []);
    assert.equal(result.artifact.source, 'aws-documents');
    const privileged = result.findings.find((f) => f.id === 'BW-AWS-001')!;
    assert.equal(privileged.stackLayer, 'cloud');
    assert.equal(privileged.location.path, 'ecs/describe-task-definition-bad.json');
    assert.equal(privileged.location.resource, 'ecs/describe-task-definition-bad.json#/taskDefinition/containerDefinitions/0/privileged');
    const line = readFileSync(`${FIXTURES}ecs/describe-task-definition-bad.json`, 'utf8').split('\n')[privileged.location.line! - 1];
    assert.match(line!, /"privileged": true/);
    const ids = new Set(result.findings.map((f) => f.id));
    for (const id of ['BW-AWS-004', 'BW-AWS-014', 'BW-AWS-015', 'BW-AWS-019', 'BW-AWS-020']) assert.ok(ids.has(id), `${id} reported`);
  });

  it('passes a hardened account export, gates with --exit-code, and writes valid SARIF', async () => {
    const good = await runCli(['cloud', ...GOOD, '--exit-code', '2'], { cwd: FIXTURES });
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /No misconfigurations found/);
    const bad = await runCli(['cloud', 'ecs/describe-task-definition-bad.json', '--exit-code', '2', '-f', 'sarif'], { cwd: FIXTURES });
    assert.equal(bad.code, 2);
    const log = JSON.parse(bad.stdout) as Log;
    assert.deepEqual(sarifValidator()(log), []);
    const result = log.runs[0]!.results!.find((x) => x.ruleId === 'BW-AWS-001')!;
    assert.equal(result.locations![0]!.physicalLocation!.artifactLocation!.uri, 'ecs/describe-task-definition-bad.json');
  });

  it('warns about malformed and unknown documents by name and checks the rest', async () => {
    const r = await runCli(['cloud', 'malformed.json', 'unknown.json', 'ecs/describe-task-definition-bad.json', '-f', 'json'], { cwd: FIXTURES });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /malformed\.json: not valid JSON/);
    assert.match(r.stderr, /unknown\.json.*not a recognised AWS CLI document/);
    assert.ok((JSON.parse(r.stdout) as ImageScanResult).findings.some((f) => f.id === 'BW-AWS-001'));
  });

  it('fails in one line for a missing file, with nothing on stdout', async () => {
    const r = await runCli(['cloud', 'nope.json'], { cwd: FIXTURES });
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /nope\.json/);
  });
});

// Fake credentials, no instance-metadata probing, no shared config: nothing may leave 127.0.0.1.
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/bulwark-test/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/bulwark-test/aws-credentials',
  AWS_PROFILE: '',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
};

describe('bulwark cloud --live (recorded AWS answers on 127.0.0.1)', () => {
  it('reads the account read-only, reports the same rules, and saves the bundle its findings point into', async () => {
    const api = await startRecordedAwsApi();
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-cloud-'));
    try {
      const bundle = join(dir, 'account.json');
      const r = await runCli(['cloud', '--live', '--region', 'eu-west-1', '--endpoint-url', api.url, '--save-bundle', bundle, '-f', 'json', '--exit-code', '3'], { env: AWS_ENV });
      assert.equal(r.code, 3, r.stderr);
      assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning/);
      const result = JSON.parse(r.stdout) as ImageScanResult;
      assert.deepEqual(reportValidator()(result), []);
      assert.equal(result.artifact.source, 'aws-account');
      assert.match(result.artifact.reference, /^aws:\d{12}:eu-west-1$/);
      const ids = new Set(result.findings.map((f) => f.id));
      for (const id of ['BW-AWS-001', 'BW-AWS-008', 'BW-AWS-012', 'BW-AWS-015', 'BW-AWS-018', 'BW-AWS-021']) assert.ok(ids.has(id), `${id} reported`);
      assert.ok(api.requests.every((q) => /^(Describe|List|Get)/.test(q.action)), 'read-only calls only');
      const privileged = result.findings.find((f) => f.id === 'BW-AWS-001')!;
      assert.equal(privileged.location.path, bundle);
      const line = readFileSync(bundle, 'utf8').split('\n')[privileged.location.line! - 1];
      assert.match(line!, /"privileged": true/);
      const offline = await runCli(['cloud', bundle, '-f', 'json']);
      const places = (findings: ImageScanResult['findings']) => findings.map((f) => `${f.id} ${f.location.resource}:${f.location.line}`).sort();
      assert.deepEqual(places((JSON.parse(offline.stdout) as ImageScanResult).findings), places(result.findings), 'the saved bundle, checked offline, gives the same findings');
    } finally {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails in one line when the endpoint refuses, and asks for a region', async () => {
    const api = await startRecordedAwsApi();
    const url = api.url;
    await api.close();
    const refused = await runCli(['cloud', '--live', '--region', 'eu-west-1', '--endpoint-url', url, '--timeout', '3s'], { env: AWS_ENV });
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /cannot reach|ECONNREFUSED/);
    const noRegion = await runCli(['cloud', '--live'], { env: AWS_ENV });
    assert.notEqual(noRegion.code, 0);
    assert.match(noRegion.stderr, /region/);
    const stray = await runCli(['cloud', 'x.json', '--region', 'eu-west-1'], { env: AWS_ENV });
    assert.match(stray.stderr, /--region needs --live/);
  });
});

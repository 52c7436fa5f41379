import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { loadAwsDocuments } from '../../src/cloud/load.js';
import { collectAwsDocuments, type CollectAwsResult } from '../../src/cloud/live/index.js';
import { BulwarkError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import { checkAws } from '../../src/modules/rules/cloud/index.js';
import { API_FIXTURES, startRecordedAwsApi, type RecordedAwsApi } from '../support/recorded-aws-api.js';

// Fake credentials, and no instance-metadata probing: nothing here may leave 127.0.0.1.
const FAKE_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/bulwark-test/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/bulwark-test/aws-credentials',
};
const CLEARED_ENV = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_ENDPOINT_URL'];
const savedEnv = new Map<string, string | undefined>();

function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!savedEnv.has(k)) savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

before(() => setEnv({ ...FAKE_ENV, ...Object.fromEntries(CLEARED_ENV.map((k) => [k, undefined])) }));
after(() => {
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

let api: RecordedAwsApi;
beforeEach(async () => {
  api = await startRecordedAwsApi();
});
afterEach(async () => {
  await api.close();
});

function collect(extra: { clusters?: string[]; timeoutMs?: number; endpointUrl?: string; profile?: string } = {}): Promise<CollectAwsResult> {
  return collectAwsDocuments({ region: 'eu-west-1', endpointUrl: api.url, timeoutMs: 3000, ...extra });
}

function findingsOf(result: CollectAwsResult): Finding[] {
  const loaded = loadAwsDocuments('aws-live.json', JSON.stringify(result.bundle, null, 2));
  assert.deepEqual(loaded.warnings, []);
  return checkAws(loaded.resources, 'aws:eu-west-1');
}

function idsOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.id))].sort();
}

/** Runs fn and returns its one-line BulwarkError. */
async function failure(fn: () => Promise<unknown>): Promise<BulwarkError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof BulwarkError, `expected a BulwarkError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.doesNotMatch(e.message, /\bat .+:\d+:\d+/); // no stack frames in the message
    return e;
  }
  assert.fail('expected the collection to fail');
}

const BAD_FINDINGS = [
  'BW-AWS-001', // legacy-worker:12 privileged
  'BW-AWS-002', // no user
  'BW-AWS-003', // writable root filesystem
  'BW-AWS-008', // assignPublicIp ENABLED
  'BW-AWS-010', // legacy-worker-deploy: ecs:* actions on "*"
  'BW-AWS-011', // iam:PassRole on "*"
  'BW-AWS-012', // AdministratorAccess on legacy-worker-task
  'BW-AWS-013', // PassRole + RegisterTaskDefinition + RunTask
  'BW-AWS-015', // SSH from 0.0.0.0/0
  'BW-AWS-018', // legacy-worker repository policy Principal "*"
  'BW-AWS-019', // MUTABLE
  'BW-AWS-020', // scanOnPush false
  'BW-AWS-021', // no lifecycle policy
];
const GOOD_NAMES = /\b(web:7|batch:3|web-task|web-read|web-sessions|sg-0a1b2c3d4e5f60001|web-tasks|repository web\b|service web\b|ecsTaskExecutionRole)/;

describe('collectAwsDocuments against recorded AWS answers', () => {
  it('gathers the documents the AWS CLI would print, in the bundle load.ts reads', async () => {
    const result = await collect();
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(api.missing, []);
    assert.equal(result.account, '123456789012');
    assert.equal(result.bundle.bulwarkAwsBundle, 1);
    const text = JSON.stringify(result.bundle);
    assert.doesNotMatch(text, /\$metadata/);

    const loaded = loadAwsDocuments('aws-live.json', text);
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(
      loaded.resources.map((r) => `${r.kind} ${r.name}`),
      [
        'ecs-service web',
        'ecs-service legacy-worker',
        'ecs-task-definition web:7',
        'ecs-task-definition legacy-worker:12',
        'ecs-task-definition batch:3',
        'iam-role ecsTaskExecutionRole',
        'iam-role ecsTaskExecutionRole',
        'iam-role legacy-worker-task',
        'iam-role legacy-worker-task',
        'iam-role web-task',
        'iam-role web-task',
        'iam-policy web-task/web-sessions',
        'iam-policy arn:aws:iam::123456789012:policy/legacy-worker-deploy',
        'iam-policy arn:aws:iam::123456789012:policy/web-read',
        'security-group sg-0a1b2c3d4e5f60001',
        'security-group sg-0a1b2c3d4e5f60002',
        'ecr-repository web',
        'ecr-repository legacy-worker',
        'ecr-lifecycle-policy web',
        'ecr-repository-policy legacy-worker',
      ],
    );

    const docs = result.bundle.documents as Record<string, any>[];
    // Timestamps as ISO strings (awsJson sends epoch seconds, awsQuery ISO text; the SDK makes Dates of both).
    assert.equal(docs[0]!.services[0].createdAt, '2023-03-01T09:50:42.101Z');
    assert.equal(docs.find((d) => d.Role?.RoleName === 'web-task')!.Role.CreateDate, '2023-02-27T09:14:03.000Z');
    // IAM documents arrive URL-encoded and leave as JSON objects; the bundle names the role and the policy ARN.
    const deploy = docs.find((d) => d.PolicyArn === 'arn:aws:iam::123456789012:policy/legacy-worker-deploy')!;
    assert.equal(deploy.PolicyVersion.VersionId, 'v3');
    assert.equal(deploy.PolicyVersion.Document.Statement[1].Action, 'iam:PassRole');
    assert.equal(docs.find((d) => d.Role?.RoleName === 'web-task')!.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service, 'ecs-tasks.amazonaws.com');
    assert.deepEqual(
      docs.find((d) => d.RoleName === 'legacy-worker-task' && d.AttachedPolicies)!.AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName),
      ['AdministratorAccess', 'legacy-worker-deploy'],
    );
    assert.equal(docs.find((d) => d.PolicyName === 'web-sessions')!.PolicyDocument.Statement[0].Sid, 'Sessions');
    // ECR policy texts stay JSON strings, as the CLI prints them.
    assert.equal(typeof docs.find((d) => d.policyText)!.policyText, 'string');
    // AWS-managed policies need no document.
    assert.ok(!api.requests.some((r) => r.action === 'GetPolicy' && String(r.params.PolicyArn).includes(':aws:policy/')));
  });

  it('sends only signed, read-only Describe/List/Get calls, each signed for its own service', async () => {
    await collect();
    assert.ok(api.requests.length >= 30);
    for (const r of api.requests) {
      assert.match(r.action, /^(Describe|List|Get)[A-Z]/, `${r.service}:${r.action}`);
      assert.match(r.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/\w+\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/);
      assert.equal(r.signedFor, r.service);
    }
    assert.deepEqual([...new Set(api.requests.map((r) => r.service))].sort(), ['ec2', 'ecr', 'ecs', 'iam']);
    // DescribeServices asks in batches of at most 10.
    for (const r of api.requests.filter((x) => x.action === 'DescribeServices')) assert.ok((r.params.services as unknown[]).length <= 10);
  });

  it('follows every kind of pagination (nextToken, Marker, NextToken)', async () => {
    const result = await collect();
    const fixtures = api.requests.map((r) => r.fixture);
    for (const page2 of [
      'ecs/ListClusters_AAEAAWNsdXN0ZXJzMg.json',
      'ecs/ListServices_prod_AAEAAXNlcnZpY2VzMg.json',
      'ecs/ListTaskDefinitions_AAEAAXRhc2tkZWZzMg.json',
      'iam/ListAttachedRolePolicies_legacy-worker-task_AAEAAWF0dGFjaGVkMg.xml',
      'ec2/DescribeSecurityGroups_eyJ2IjoiMiIsImMiOiJzZzIifQ.xml',
      'ecr/DescribeRepositories_ukD72mdD-bmV4dFBhZ2U.json',
    ]) {
      assert.ok(fixtures.includes(page2), `page 2 not asked for: ${page2}`);
    }
    // What only the second pages hold made it into the bundle.
    const text = JSON.stringify(result.bundle);
    assert.ok(api.requests.some((r) => r.action === 'ListServices' && String(r.params.cluster).endsWith('cluster/staging')));
    for (const name of ['service/prod/legacy-worker', 'task-definition/batch:3', 'policy/legacy-worker-deploy', 'sg-0a1b2c3d4e5f60002', 'repository/legacy-worker']) {
      assert.ok(text.includes(name), name);
    }
    // The security groups asked for are the ones the services use.
    const sgRequest = api.requests.find((r) => r.action === 'DescribeSecurityGroups')!;
    assert.equal(sgRequest.params['Filter.1.Name'], 'group-id');
    assert.deepEqual([sgRequest.params['Filter.1.Value.1'], sgRequest.params['Filter.1.Value.2']], ['sg-0a1b2c3d4e5f60001', 'sg-0a1b2c3d4e5f60002']);
    // Only the newest ACTIVE revision of each family is described.
    const described = api.requests.filter((r) => r.action === 'DescribeTaskDefinition').map((r) => String(r.params.taskDefinition).replace(/.*\//, ''));
    assert.deepEqual(described, ['web:7', 'legacy-worker:12', 'batch:3']);
  });

  it('gives the bad setup its BW-AWS findings and the good resources none', async () => {
    const findings = findingsOf(await collect());
    assert.deepEqual(idsOf(findings), BAD_FINDINGS);
    for (const f of findings) assert.doesNotMatch(`${f.location.resource} ${f.description}`, GOOD_NAMES, `${f.id}: ${f.description}`);
    const admin = findings.find((f) => f.id === 'BW-AWS-012')!;
    assert.match(admin.description ?? '', /legacy-worker-task has AdministratorAccess attached \(attached to the task role legacy-worker-task/);
    assert.match(findings.find((f) => f.id === 'BW-AWS-015')!.description ?? '', /sg-0a1b2c3d4e5f60002 .*tcp\/22.* from 0\.0\.0\.0\/0/);
    assert.match(findings.find((f) => f.id === 'BW-AWS-021')!.description ?? '', /repository legacy-worker:/);
    assert.equal(findings.filter((f) => f.id === 'BW-AWS-021').length, 1);
  });

  it('finds what the offline path finds in the same ECS and ECR answers', async () => {
    const live = findingsOf(await collect());
    // The awsJson answers are the CLI's output (timestamps aside): read them as files a user exported.
    const resources = ['ecs', 'ecr'].flatMap((service) =>
      readdirSync(`${API_FIXTURES}${service}`)
        .filter((f) => !f.startsWith('List'))
        .map((f) => ({ path: `${service}/${f}`, text: readFileSync(`${API_FIXTURES}${service}/${f}`, 'utf8') }))
        .filter(({ text }) => !('__type' in (JSON.parse(text) as object)))
        .flatMap(({ path, text }) => {
          const loaded = loadAwsDocuments(path, text);
          assert.deepEqual(loaded.warnings, []);
          return loaded.resources;
        }),
    );
    const offline = checkAws(resources, 'offline');
    const ecsEcr = (fs: Finding[]) =>
      fs
        .filter((f) => /^BW-AWS-0(0\d|1[89]|2\d)$/.test(f.id))
        .map((f) => `${f.id} ${f.description}`)
        .sort();
    assert.ok(ecsEcr(offline).length >= 8);
    assert.deepEqual(ecsEcr(live), ecsEcr(offline));
  });

  it('scopes to the clusters given, without listing clusters or task definition families', async () => {
    const result = await collect({ clusters: ['arn:aws:ecs:eu-west-1:123456789012:cluster/prod'] });
    const actions = api.requests.map((r) => r.action);
    assert.ok(!actions.includes('ListClusters'));
    assert.ok(!actions.includes('ListTaskDefinitions'));
    assert.doesNotMatch(JSON.stringify(result.bundle), /task-definition\/batch:3/);
    assert.ok(idsOf(findingsOf(result)).includes('BW-AWS-001'));
  });
});

describe('collectAwsDocuments when calls fail', () => {
  it('turns AccessDenied on one call into a warning naming the call and resource; the rest goes on', async () => {
    api.misbehave('GetRepositoryPolicy', 'deny', 'legacy-worker');
    api.misbehave('GetRole', 'deny', 'web-task');
    api.misbehave('DescribeSecurityGroups', 'deny');
    const result = await collect();
    assert.deepEqual(result.warnings, [
      'aws: iam:GetRole on role web-task: access denied; skipped',
      'aws: ec2:DescribeSecurityGroups on group(s) sg-0a1b2c3d4e5f60001, sg-0a1b2c3d4e5f60002: access denied; skipped',
      'aws: ecr:GetRepositoryPolicy on repository legacy-worker: access denied; skipped',
    ]);
    const ids = idsOf(findingsOf(result));
    assert.ok(!ids.includes('BW-AWS-018') && !ids.includes('BW-AWS-015'));
    for (const id of ['BW-AWS-001', 'BW-AWS-008', 'BW-AWS-012', 'BW-AWS-019', 'BW-AWS-021']) assert.ok(ids.includes(id), id);
    // The other calls about the denied role still ran.
    assert.ok(api.requests.some((r) => r.action === 'ListAttachedRolePolicies' && r.params.RoleName === 'web-task'));
  });

  it('says so when a refused lifecycle-policy read makes BW-AWS-021 unreliable', async () => {
    api.misbehave('GetLifecyclePolicy', 'deny', 'web');
    const result = await collect();
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /^aws: ecr:GetLifecyclePolicy on repository web: access denied; skipped; BW-AWS-021 .* may be wrong for it$/);
  });

  it('retries a 500 once, then warns and goes on', async () => {
    api.misbehave('DescribeServices', 'error500');
    api.misbehave('ListAttachedRolePolicies', 'error500', 'web-task');
    const result = await collect();
    assert.equal(api.requests.filter((r) => r.action === 'DescribeServices').length, 2);
    assert.deepEqual(result.warnings, [
      'aws: ecs:DescribeServices on cluster prod: ServerException: We encountered an internal error. Please try again.; skipped',
      'aws: iam:ListAttachedRolePolicies on role web-task: ServiceFailureException: We encountered an internal error. Please try again.; skipped',
    ]);
    // The task definitions still come from ListTaskDefinitions.
    assert.ok(idsOf(findingsOf(result)).includes('BW-AWS-001'));
  });

  it('warns about an answer that is not the protocol (a proxy page) and goes on', async () => {
    api.misbehave('DescribeRepositories', 'garbage');
    api.misbehave('GetRole', 'garbage', 'web-task');
    const result = await collect();
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0]!, /^aws: iam:GetRole on role web-task: the answer is not AWS's protocol \(XML parse error: .*\); skipped$/);
    assert.match(result.warnings[1]!, /^aws: ecr:DescribeRepositories: the answer is not AWS's protocol \(.*is not valid JSON\); skipped$/);
    for (const w of result.warnings) assert.doesNotMatch(w, /\n/);
    assert.ok(idsOf(findingsOf(result)).includes('BW-AWS-012'));
  });

  it('fails with one line when the endpoint stalls', async () => {
    api.misbehave('ListClusters', 'stall');
    const started = Date.now();
    const e = await failure(() => collect({ timeoutMs: 300 }));
    assert.equal(e.code, 'E_TIMEOUT');
    assert.equal(e.message, `aws: ecs:ListClusters at ${api.url}: no answer within 300 ms`);
    assert.ok(Date.now() - started < 5000);
  });

  it('fails with one line when nothing listens', async () => {
    const url = api.url;
    await api.close();
    api = await startRecordedAwsApi(); // for afterEach
    const e = await failure(() => collect({ endpointUrl: url }));
    assert.equal(e.code, 'E_INPUT');
    assert.equal(e.message, `aws: ecs:ListClusters: cannot reach ${url} (ECONNREFUSED)`);
  });

  it('fails with one line when there are no credentials, before sending anything', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const e = await failure(() => collect());
      assert.equal(e.code, 'E_AUTH');
      assert.match(e.message, /^aws: no AWS credentials found \(.*\); set AWS_PROFILE/);
      const p = await failure(() => collect({ profile: 'does-not-exist' }));
      assert.equal(p.code, 'E_AUTH');
      assert.match(p.message, /^aws: no AWS credentials for profile does-not-exist \(/);
      assert.deepEqual(api.requests, []);
    } finally {
      setEnv(FAKE_ENV);
    }
  });

  it('fails with one line when AWS rejects the credentials', async () => {
    api.misbehave('ListClusters', 'reject');
    const e = await failure(() => collect());
    assert.equal(e.code, 'E_AUTH');
    assert.equal(e.message, `aws: ecs:ListClusters at ${api.url}: the credentials were rejected (UnrecognizedClientException: The security token included in the request is invalid.)`);
    assert.equal(api.requests.length, 1);
  });

  it('fails with one line when IAM rejects the credentials mid-way', async () => {
    api.misbehave('GetRole', 'reject');
    const e = await failure(() => collect());
    assert.equal(e.code, 'E_AUTH');
    assert.match(e.message, /^aws: iam:GetRole at .*: the credentials were rejected \(InvalidClientTokenId: /);
  });
});

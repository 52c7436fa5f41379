import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadAwsDocuments } from '../../../src/cloud/load.js';
import type { Finding } from '../../../src/core/finding.js';
import { CLOUD_RULES, checkAws, cloudPack, cloudRules } from '../../../src/modules/rules/cloud/index.js';
import { fargatePlatformVersions } from '../../../src/modules/rules/cloud/rules/ecs-fargate-platform.js';
import { looksSecret } from '../../../src/modules/rules/cloud/rules/ecs-environment-secrets.js';
import { isRootUser } from '../../../src/modules/rules/cloud/rules/ecs-root-user.js';
import { exposureOf } from '../../../src/modules/rules/cloud/network.js';
import { assertMetaContract } from '../meta-contract.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cloud/', import.meta.url));

/** Findings over the given fixture files loaded together, as `bulwark cloud a.json b.json` would. */
function scan(...files: string[]): Finding[] {
  const resources = files.flatMap((f) => {
    const { resources, warnings } = loadAwsDocuments(f, readFileSync(`${FIXTURES}${f}`, 'utf8'));
    assert.deepEqual(warnings.filter((w) => !w.includes('Reservations')), [], `warnings for ${f}`);
    return resources;
  });
  return checkAws(resources, 'aws-export');
}

/** "file#pointer" of each finding of one rule, sorted. */
function where(findings: Finding[], id: string): string[] {
  return findings.filter((f) => f.id === id).map((f) => f.location.resource!).sort();
}

const TD_BAD = 'ecs/describe-task-definition-bad.json';
const TD_GOOD = 'ecs/describe-task-definition-good.json';

/** For each rule: the failing fixture(s) and where the findings must be; the passing fixture(s) with none. */
const CASES: { id: string; bad: string[]; expect: string[]; good: string[] }[] = [
  { id: 'BW-AWS-001', bad: [TD_BAD], expect: [`${TD_BAD}#/taskDefinition/containerDefinitions/0/privileged`], good: [TD_GOOD] },
  {
    id: 'BW-AWS-002',
    bad: [TD_BAD],
    expect: [`${TD_BAD}#/taskDefinition/containerDefinitions/0`, `${TD_BAD}#/taskDefinition/containerDefinitions/1/user`],
    good: [TD_GOOD, 'ecs/register-task-definition-input.json'],
  },
  {
    id: 'BW-AWS-003',
    bad: [TD_BAD],
    expect: [`${TD_BAD}#/taskDefinition/containerDefinitions/0/readonlyRootFilesystem`, `${TD_BAD}#/taskDefinition/containerDefinitions/1`],
    good: [TD_GOOD, 'ecs/register-task-definition-input.json'],
  },
  {
    id: 'BW-AWS-004',
    bad: [TD_BAD],
    expect: [`${TD_BAD}#/taskDefinition/ipcMode`, `${TD_BAD}#/taskDefinition/networkMode`, `${TD_BAD}#/taskDefinition/pidMode`],
    good: [TD_GOOD],
  },
  {
    id: 'BW-AWS-005',
    bad: [TD_BAD],
    expect: [`${TD_BAD}#/taskDefinition/containerDefinitions/0/environment/1`, `${TD_BAD}#/taskDefinition/containerDefinitions/0/environment/2`],
    good: [TD_GOOD],
  },
  {
    id: 'BW-AWS-006',
    bad: [TD_BAD, 'ecs/register-task-definition-input.json'],
    expect: [`${TD_BAD}#/taskDefinition/containerDefinitions/1`, 'ecs/register-task-definition-input.json#/containerDefinitions/0'],
    good: [TD_GOOD],
  },
  { id: 'BW-AWS-007', bad: [TD_BAD], expect: [`${TD_BAD}#/taskDefinition/executionRoleArn`], good: [TD_GOOD, 'ecs/register-task-definition-input.json'] },
  {
    id: 'BW-AWS-008',
    bad: ['ecs/describe-services-bad.json'],
    expect: ['ecs/describe-services-bad.json#/services/0/networkConfiguration/awsvpcConfiguration/assignPublicIp'],
    good: ['ecs/describe-services-good.json'],
  },
  { id: 'BW-AWS-009', bad: ['ecs/describe-services-bad.json'], expect: ['ecs/describe-services-bad.json#/services/0/platformVersion'], good: ['ecs/describe-services-good.json'] },
  {
    id: 'BW-AWS-010',
    bad: ['iam/get-policy-version-wildcard.json', 'iam/policy-passrole.json'],
    expect: ['iam/get-policy-version-wildcard.json#/PolicyVersion/Document/Statement/0/Action', 'iam/get-policy-version-wildcard.json#/PolicyVersion/Document/Statement/1/Resource'],
    good: ['iam/get-policy-version-good.json', 'iam/policy-admin.json'],
  },
  { id: 'BW-AWS-011', bad: ['iam/policy-passrole.json'], expect: ['iam/policy-passrole.json#/Statement/0'], good: ['iam/get-policy-version-good.json', 'iam/get-policy-version-privesc.json'] },
  {
    id: 'BW-AWS-012',
    bad: ['iam/policy-admin.json', 'iam/list-attached-role-policies-admin.json'],
    expect: ['iam/list-attached-role-policies-admin.json#/AttachedPolicies/1', 'iam/policy-admin.json#/Statement/0'],
    good: ['iam/get-policy-version-good.json', 'iam/list-attached-role-policies-good.json', 'iam/get-policy-version-wildcard.json'],
  },
  {
    id: 'BW-AWS-013',
    bad: ['iam/get-policy-version-privesc.json', 'iam/get-role-policy.json'],
    expect: ['iam/get-policy-version-privesc.json#/PolicyVersion/Document', 'iam/get-role-policy.json#/PolicyDocument'],
    good: ['iam/get-policy-version-good.json', 'iam/get-policy-version-wildcard.json', 'iam/policy-admin.json'],
  },
  {
    id: 'BW-AWS-014',
    bad: ['ec2/describe-security-groups-bad.json'],
    expect: [
      'ec2/describe-security-groups-bad.json#/SecurityGroups/0/IpPermissions/0/IpRanges/0',
      'ec2/describe-security-groups-bad.json#/SecurityGroups/4/IpPermissions/0/IpRanges/0',
    ],
    good: ['ec2/describe-security-groups-good.json'],
  },
  {
    id: 'BW-AWS-015',
    bad: ['ec2/describe-security-groups-bad.json'],
    expect: [
      'ec2/describe-security-groups-bad.json#/SecurityGroups/1/IpPermissions/0/IpRanges/0',
      'ec2/describe-security-groups-bad.json#/SecurityGroups/1/IpPermissions/1/Ipv6Ranges/0',
    ],
    good: ['ec2/describe-security-groups-good.json'],
  },
  {
    id: 'BW-AWS-016',
    bad: ['ec2/describe-security-groups-bad.json', 'bundle.json'],
    expect: ['bundle.json#/documents/3/SecurityGroups/0/IpPermissions/0/IpRanges/0', 'ec2/describe-security-groups-bad.json#/SecurityGroups/2/IpPermissions/0/IpRanges/0'],
    good: ['ec2/describe-security-groups-good.json'],
  },
  {
    id: 'BW-AWS-017',
    bad: ['ec2/describe-security-groups-bad.json'],
    expect: ['ec2/describe-security-groups-bad.json#/SecurityGroups/3/IpPermissions/0/IpRanges/0'],
    good: ['ec2/describe-security-groups-good.json'],
  },
  { id: 'BW-AWS-018', bad: ['ecr/get-repository-policy-public.json'], expect: ['ecr/get-repository-policy-public.json#/policyText'], good: ['ecr/get-repository-policy-good.json'] },
  { id: 'BW-AWS-019', bad: ['ecr/describe-repositories-bad.json'], expect: ['ecr/describe-repositories-bad.json#/repositories/0/imageTagMutability'], good: ['ecr/describe-repositories-good.json'] },
  {
    id: 'BW-AWS-020',
    bad: ['ecr/describe-repositories-bad.json'],
    expect: ['ecr/describe-repositories-bad.json#/repositories/0/imageScanningConfiguration/scanOnPush'],
    good: ['ecr/describe-repositories-good.json'],
  },
  {
    id: 'BW-AWS-021',
    bad: ['ecr/describe-repositories-bad.json', 'ecr/get-lifecycle-policy-web.json'],
    expect: ['ecr/describe-repositories-bad.json#/repositories/0'],
    good: ['ecr/describe-repositories-good.json', 'ecr/get-lifecycle-policy-web.json'],
  },
];

describe('cloud rules: failing and passing AWS CLI documents', () => {
  it('has a case for every rule', () => {
    assert.deepEqual(CASES.map((c) => c.id), cloudRules().map((r) => r.id));
  });
  for (const c of CASES) {
    it(`${c.id} fires on ${c.bad.join(', ')}`, () => {
      assert.deepEqual(where(scan(...c.bad), c.id), [...c.expect].sort());
    });
    it(`${c.id} stays quiet on ${c.good.join(', ')}`, () => {
      assert.deepEqual(where(scan(...c.good), c.id), []);
    });
  }

  it('the hardened task definition, services, groups and repositories produce no findings at all', () => {
    const findings = scan(TD_GOOD, 'ecs/describe-services-good.json', 'ec2/describe-security-groups-good.json', 'ecr/describe-repositories-good.json', 'ecr/get-lifecycle-policy-web.json', 'ecr/get-repository-policy-good.json', 'iam/get-policy-version-good.json', 'iam/get-role.json');
    assert.deepEqual(findings.map((f) => `${f.id} ${f.location.resource}`), []);
  });
});

describe('cloud findings', () => {
  it('carry kind, stack layer, file, line, JSON pointer and a stable fingerprint', () => {
    const [f] = scan(TD_BAD).filter((x) => x.id === 'BW-AWS-001');
    assert.ok(f);
    assert.equal(f.kind, 'misconfiguration');
    assert.equal(f.stackLayer, 'cloud');
    assert.equal(f.target, 'aws-export');
    assert.equal(f.location.path, TD_BAD);
    const line = readFileSync(`${FIXTURES}${TD_BAD}`, 'utf8').split('\n')[f.location.line! - 1];
    assert.match(line!, /"privileged": true/);
    assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(scan(TD_BAD).find((x) => x.id === 'BW-AWS-001')!.fingerprint, f.fingerprint);
  });

  it('never print the value of a secret environment variable', () => {
    for (const f of scan(TD_BAD).filter((x) => x.id === 'BW-AWS-005')) {
      assert.doesNotMatch(JSON.stringify(f), /hunter2|sk_live/);
    }
  });

  it('tie a policy to the task definition whose task role attaches it (bundle)', () => {
    const f = scan('bundle.json').find((x) => x.id === 'BW-AWS-010');
    assert.ok(f);
    assert.match(f.description!, /attached to the task role web-task → web:7/);
  });

  it('are in report order: most severe first', () => {
    const findings = scan(TD_BAD, 'ec2/describe-security-groups-bad.json');
    assert.equal(findings[0]!.severity, 'CRITICAL');
  });
});

describe('cloud rule helpers', () => {
  it('isRootUser', () => {
    for (const u of [undefined, '', '0', 'root', '0:0', 'root:root', '0:1000']) assert.equal(isRootUser(u), true, String(u));
    for (const u of ['1000', '10001:10001', 'app', 'nobody']) assert.equal(isRootUser(u), false, u);
  });

  it('looksSecret', () => {
    assert.equal(looksSecret('DB_PASSWORD', 'x'), true);
    assert.equal(looksSecret('GITHUB_TOKEN', 'ghp_x'), true);
    assert.equal(looksSecret('SOMETHING', 'AKIAIOSFODNN7EXAMPLE'), true);
    assert.equal(looksSecret('DB_PASSWORD', ''), false);
    assert.equal(looksSecret('DB_PASSWORD_FILE', '/run/secrets/db'), false);
    assert.equal(looksSecret('API_KEY', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x'), false);
    assert.equal(looksSecret('LOG_LEVEL', 'debug'), false);
  });

  it('exposureOf', () => {
    assert.equal(exposureOf({ IpProtocol: '-1' })?.kind, 'all');
    assert.equal(exposureOf({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 })?.kind, 'all');
    assert.equal(exposureOf({ IpProtocol: 'tcp', FromPort: 20, ToPort: 25 })?.kind, 'admin');
    assert.equal(exposureOf({ IpProtocol: '6', FromPort: 27017, ToPort: 27017 })?.kind, 'database');
    assert.equal(exposureOf({ IpProtocol: 'udp', FromPort: 53, ToPort: 53 })?.kind, 'other');
    assert.equal(exposureOf({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }), null);
    assert.equal(exposureOf({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }), null);
    assert.equal(exposureOf({ IpProtocol: 'icmp', FromPort: -1, ToPort: -1 }), null);
  });

  it('the Fargate data file names its source and a current version per family', () => {
    const v = fargatePlatformVersions();
    assert.match(v.source, /^https:\/\/docs\.aws\.amazon\.com\//);
    assert.match(v.linux.current, /^\d+\.\d+\.\d+$/);
    assert.match(v.windows.current, /^\d+\.\d+\.\d+$/);
  });
});

describe('cloud rule metadata', () => {
  it('meets the rule metadata contract; aliases are Prowler check ids or Checkov CKV_AWS ids', () => {
    assertMetaContract(cloudRules(), /^BW-AWS-\d{3}$/, (a) => /^(CKV_AWS_\d+|[a-z0-9]+(_[a-z0-9]+)+)$/.test(a));
  });

  it('ids are unique and in order, and the pack lists them', () => {
    const ids = CLOUD_RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    assert.deepEqual(cloudPack.rules().map((r) => r.id), ids);
    assert.equal(cloudPack.id, 'cloud');
  });
});

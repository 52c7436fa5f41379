import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadAwsDocuments, pointerOf } from '../../src/cloud/load.js';
import type { AwsResource } from '../../src/cloud/types.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cloud/', import.meta.url));

function load(rel: string): { resources: AwsResource[]; warnings: string[] } {
  return loadAwsDocuments(`fixtures/${rel}`, readFileSync(`${FIXTURES}${rel}`, 'utf8'));
}

function summary(resources: AwsResource[]): string[] {
  return resources.map((r) => `${r.kind} ${r.name} ${r.source.pointer}`);
}

describe('loadAwsDocuments: AWS CLI shapes', () => {
  it('reads aws ecs describe-task-definition output, with pointer and line', () => {
    const { resources, warnings } = load('ecs/describe-task-definition-bad.json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(summary(resources), ['ecs-task-definition legacy-worker:12 /taskDefinition']);
    const r = resources[0]!;
    assert.equal(r.source.file, 'fixtures/ecs/describe-task-definition-bad.json');
    assert.equal(r.source.line, 2);
    // "privileged": true of the first container is on its own line in the fixture.
    const text = readFileSync(`${FIXTURES}ecs/describe-task-definition-bad.json`, 'utf8').split('\n');
    const line = r.source.lineOf(['containerDefinitions', 0, 'privileged'])!;
    assert.match(text[line - 1]!, /"privileged": true/);
    // A missing field falls back to its nearest present ancestor.
    assert.equal(r.source.lineOf(['containerDefinitions', 0, 'nope']), r.source.lineOf(['containerDefinitions', 0]));
  });

  it('reads register-task-definition input (the task definition at the top level)', () => {
    const { resources, warnings } = load('ecs/register-task-definition-input.json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(summary(resources), ['ecs-task-definition batch ']);
  });

  it('reads aws ecs describe-services output, one resource per service', () => {
    const { resources } = load('ecs/describe-services-good.json');
    assert.deepEqual(summary(resources), ['ecs-service web /services/0', 'ecs-service worker /services/1']);
  });

  it('reads aws iam get-policy-version output, bare policy documents and get-role-policy output', () => {
    assert.deepEqual(summary(load('iam/get-policy-version-wildcard.json').resources), [
      'iam-policy get-policy-version-wildcard.json (v3) /PolicyVersion/Document',
    ]);
    const withArn = load('iam/get-policy-version-privesc.json').resources[0]!;
    assert.equal(withArn.kind === 'iam-policy' && withArn.policyArn, 'arn:aws:iam::123456789012:policy/legacy-worker-deploy');
    assert.deepEqual(summary(load('iam/policy-admin.json').resources), ['iam-policy policy-admin.json ']);
    const inline = load('iam/get-role-policy.json').resources[0]!;
    assert.equal(inline.kind, 'iam-policy');
    assert.equal(inline.kind === 'iam-policy' && inline.roleName, 'legacy-worker');
    assert.equal(inline.source.pointer, '/PolicyDocument');
  });

  it('reads URL-encoded policy documents (raw API form)', () => {
    const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    const { resources, warnings } = loadAwsDocuments('p.json', JSON.stringify({ PolicyVersion: { Document: doc, VersionId: 'v1' } }));
    assert.deepEqual(warnings, []);
    assert.equal(resources[0]?.kind, 'iam-policy');
  });

  it('reads list-attached-role-policies and get-role output as roles', () => {
    const attached = load('iam/list-attached-role-policies-admin.json').resources[0]!;
    assert.equal(attached.kind, 'iam-role');
    assert.equal(attached.kind === 'iam-role' && attached.attachedPolicies?.length, 2);
    const role = load('iam/get-role.json').resources[0]!;
    assert.equal(role.kind === 'iam-role' && role.roleArn, 'arn:aws:iam::123456789012:role/web-task');
    assert.equal(role.kind === 'iam-role' && role.assumeRolePolicy !== undefined, true);
  });

  it('reads aws ec2 describe-security-groups output, one resource per group', () => {
    const { resources } = load('ec2/describe-security-groups-good.json');
    assert.equal(resources.length, 4);
    assert.ok(resources.every((r) => r.kind === 'security-group'));
    assert.equal(resources[2]!.source.pointer, '/SecurityGroups/2');
  });

  it('reads ECR describe-repositories, get-repository-policy (policyText) and get-lifecycle-policy output', () => {
    assert.deepEqual(summary(load('ecr/describe-repositories-bad.json').resources), ['ecr-repository legacy-worker /repositories/0']);
    const policy = load('ecr/get-repository-policy-public.json').resources[0]!;
    assert.equal(policy.kind, 'ecr-repository-policy');
    assert.equal(policy.kind === 'ecr-repository-policy' && policy.repositoryName, 'legacy-worker');
    assert.deepEqual(summary(load('ecr/get-lifecycle-policy-web.json').resources), ['ecr-lifecycle-policy web ']);
  });
});

describe('loadAwsDocuments: bundle, unknown and broken input', () => {
  it('reads every document of a bundle, pointers under /documents/N, and warns about the unknown one', () => {
    const { resources, warnings } = load('bundle.json');
    assert.deepEqual(summary(resources), [
      'ecs-task-definition web:7 /documents/0/taskDefinition',
      'iam-role web-task /documents/1',
      'iam-policy arn:aws:iam::123456789012:policy/web-task /documents/2/PolicyVersion/Document',
      'security-group sg-0ccc0000000000001 /documents/3/SecurityGroups/0',
      'ecr-repository web /documents/4/repositories/0',
      'ecr-lifecycle-policy web /documents/5',
    ]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^fixtures\/bundle\.json#\/documents\/6: not a recognised AWS CLI document \(top-level keys: Reservations\)/);
  });

  it('does not nest bundles', () => {
    const { resources, warnings } = loadAwsDocuments('b.json', JSON.stringify({ bulwarkAwsBundle: 1, documents: [{ bulwarkAwsBundle: 1, documents: [] }] }));
    assert.deepEqual(resources, []);
    assert.match(warnings[0]!, /bundles do not nest/);
  });

  it('rejects a bundle with the wrong version', () => {
    const { warnings } = loadAwsDocuments('b.json', JSON.stringify({ bulwarkAwsBundle: 2, documents: [] }));
    assert.match(warnings[0]!, /^b\.json: bulwarkAwsBundle document is not valid/);
  });

  it('warns, naming the file, about an unknown shape', () => {
    const { resources, warnings } = load('unknown.json');
    assert.deepEqual(resources, []);
    assert.deepEqual(warnings, ['fixtures/unknown.json: not a recognised AWS CLI document (top-level keys: Reservations); skipped']);
  });

  it('warns about a recognised shape whose fields have the wrong types', () => {
    const { resources, warnings } = load('invalid-shape.json');
    assert.deepEqual(resources, []);
    assert.match(warnings[0]!, /^fixtures\/invalid-shape\.json#\/taskDefinition: taskDefinition is not valid \(containerDefinitions\.0\.privileged: Expected boolean/);
  });

  it('warns about malformed JSON and non-object documents', () => {
    const broken = load('malformed.json');
    assert.deepEqual(broken.resources, []);
    assert.match(broken.warnings[0]!, /^fixtures\/malformed\.json: not valid JSON/);
    assert.match(loadAwsDocuments('a.json', '[1, 2]').warnings[0]!, /^a\.json: not a recognised AWS CLI document \(expected a JSON object\)/);
  });

  it('escapes JSON pointer segments', () => {
    assert.equal(pointerOf(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
  });
});

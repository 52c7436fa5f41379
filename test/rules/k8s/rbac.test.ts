import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/core/finding.js';
import { checkRbac, rbacRules, RBAC_RULES } from '../../../src/modules/rules/k8s/rbac/index.js';
import { fixtureObjects, K8S_ALIAS, objectsFromYaml } from '../../support/k8s-objects.js';
import { assertMetaContract } from '../meta-contract.js';

const short = (f: Finding): string => `${f.id} ${f.location.line} ${f.location.resource}`;
const R = 'rbac.authorization.k8s.io/v1';

describe('k8s RBAC rules: metadata', () => {
  it('meets the rule metadata contract with unique ids in order', () => {
    const metas = rbacRules();
    assertMetaContract(metas, /^BW-K8S-1\d\d$/, (a) => K8S_ALIAS.test(a));
    const ids = metas.map((m) => m.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    assert.equal(RBAC_RULES.length, 9);
  });
});

describe('k8s RBAC rules: least-privilege RBAC', () => {
  it('raises nothing (named secrets, namespaced secret bindings, discovery for everyone, bootstrap cluster-admin)', () => {
    assert.deepEqual(checkRbac(fixtureObjects('rbac/least-privilege.yaml'), 'manifests').map(short), []);
  });
});

describe('k8s RBAC rules: risky RBAC', () => {
  const findings = checkRbac(fixtureObjects('rbac/risky.yaml'), 'manifests');
  const ids = (id: string): string[] => findings.filter((f) => f.id === id).map(short).sort();

  it('every finding is an orchestrator misconfiguration located in the file', () => {
    for (const f of findings) {
      assert.equal(f.stackLayer, 'orchestrator');
      assert.equal(f.location.path, 'rbac/risky.yaml');
    }
  });
  it('BW-K8S-101 wildcards', () => {
    assert.deepEqual(ids('BW-K8S-101'), [`BW-K8S-101 9 ${R}/ClusterRole/ops-everything#rules[0].verbs`]);
  });
  it('BW-K8S-102 cluster-admin binding', () => {
    assert.deepEqual(ids('BW-K8S-102'), [`BW-K8S-102 22 ${R}/ClusterRoleBinding/ci-deployer-admin#roleRef.name`]);
  });
  it('BW-K8S-103 exec/attach', () => {
    assert.deepEqual(ids('BW-K8S-103'), [`BW-K8S-103 34 ${R}/Role/shop/debugger#rules[1].resources`]);
  });
  it('BW-K8S-104 secrets readable cluster-wide, on the binding that makes it so', () => {
    assert.deepEqual(ids('BW-K8S-104'), [`BW-K8S-104 57 ${R}/ClusterRoleBinding/backup-reads-secrets#roleRef.name`]);
    assert.match(findings.find((f) => f.id === 'BW-K8S-104')!.description!, /ClusterRole secret-reader.*get\/list\/watch/);
  });
  it('BW-K8S-105 escalate, bind, impersonate', () => {
    assert.deepEqual(ids('BW-K8S-105'), [`BW-K8S-105 66 ${R}/ClusterRole/role-manager#rules[0].verbs`, `BW-K8S-105 69 ${R}/ClusterRole/role-manager#rules[1].verbs`]);
  });
  it('BW-K8S-106 nodes/proxy', () => {
    assert.deepEqual(ids('BW-K8S-106'), [`BW-K8S-106 77 ${R}/ClusterRole/metrics-scraper#rules[0].resources`]);
  });
  it('BW-K8S-107 create pods, patch controllers', () => {
    assert.deepEqual(ids('BW-K8S-107'), [`BW-K8S-107 87 ${R}/Role/shop/deployer#rules[0].resources`, `BW-K8S-107 90 ${R}/Role/shop/deployer#rules[1].resources`]);
  });
  it('BW-K8S-108 anonymous and unauthenticated subjects', () => {
    assert.deepEqual(ids('BW-K8S-108'), [`BW-K8S-108 102 ${R}/ClusterRoleBinding/anonymous-view#subjects[1].name`, `BW-K8S-108 99 ${R}/ClusterRoleBinding/anonymous-view#subjects[0].name`]);
    assert.equal(findings[0]!.severity, 'CRITICAL');
  });
  it('BW-K8S-109 system:authenticated beyond discovery', () => {
    assert.deepEqual(ids('BW-K8S-109'), [`BW-K8S-109 116 ${R}/RoleBinding/shop/everyone-debugs#subjects[0].name`]);
  });
});

describe('k8s RBAC rules: binding resolution', () => {
  const crb = (role: string): string =>
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: { name: b }',
      'subjects: [{ kind: Group, name: readers, apiGroup: rbac.authorization.k8s.io }]',
      `roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }`,
    ].join('\n');
  const role = (name: string, rule: string): string =>
    ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', `metadata: { name: ${name} }`, `rules: [${rule}]`].join('\n');

  it('a wildcard ClusterRole bound cluster-wide reads secrets (and is a wildcard role)', () => {
    const objects = objectsFromYaml('x.yaml', `${role('all', '{ apiGroups: [""], resources: ["*"], verbs: ["list"] }')}\n---\n${crb('all')}`);
    assert.deepEqual(checkRbac(objects, 't').map((f) => f.id).sort(), ['BW-K8S-101', 'BW-K8S-104']);
  });
  it('a role not in the input, or secret access limited by resourceNames, is not reported as cluster-wide secret read', () => {
    assert.deepEqual(checkRbac(objectsFromYaml('x.yaml', crb('missing')), 't'), []);
    const named = objectsFromYaml('x.yaml', `${role('one', '{ apiGroups: [""], resources: [secrets], resourceNames: [tls], verbs: [get] }')}\n---\n${crb('one')}`);
    assert.deepEqual(checkRbac(named, 't'), []);
  });
  it('secrets in another API group are not core secrets', () => {
    const other = objectsFromYaml('x.yaml', `${role('ext', '{ apiGroups: ["external-secrets.io"], resources: [secrets], verbs: [get] }')}\n---\n${crb('ext')}`);
    assert.deepEqual(checkRbac(other, 't'), []);
  });
});

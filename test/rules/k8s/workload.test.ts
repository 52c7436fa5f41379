import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/core/finding.js';
import { checkWorkloads, workloadRules, WORKLOAD_RULES } from '../../../src/modules/rules/k8s/workload/index.js';
import { effectivePullPolicy } from '../../../src/modules/rules/k8s/workload/rules/pull-policy.js';
import { looksLikeLiteralSecret } from '../../../src/modules/rules/k8s/workload/rules/literal-secret-env.js';
import { runtimeSocketOf } from '../../../src/modules/rules/k8s/workload/rules/runtime-socket.js';
import { imageParts, isDigestPinned } from '../../../src/modules/rules/k8s/workload/support.js';
import { fixtureObjects, K8S_ALIAS, objectsFromYaml } from '../../support/k8s-objects.js';
import { assertMetaContract } from '../meta-contract.js';

const short = (f: Finding): string => `${f.id} ${f.location.line} ${f.location.resource}`;
const byId = (findings: Finding[], id: string): string[] => findings.filter((f) => f.id === id).map(short).sort();

describe('k8s workload rules: metadata', () => {
  it('meets the rule metadata contract with unique ids in order', () => {
    const metas = workloadRules();
    assertMetaContract(metas, /^BW-K8S-0\d\d$/, (a) => K8S_ALIAS.test(a));
    const ids = metas.map((m) => m.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    assert.equal(WORKLOAD_RULES.length, 14);
  });
});

describe('k8s workload rules: hardened manifests', () => {
  const findings = checkWorkloads(fixtureObjects('workload/hardened.yaml'), 'manifests');
  it('raise nothing but the digest note for the tagged (Always-pulled) CronJob image', () => {
    assert.deepEqual(findings.map(short), ['BW-K8S-004 85 batch/v1/CronJob/shop/nightly-report#spec.jobTemplate.spec.template.spec.containers[0].image']);
  });
});

describe('k8s workload rules: unhardened manifests', () => {
  const findings = checkWorkloads(fixtureObjects('workload/unhardened.yaml'), 'manifests');
  const D = 'apps/v1/Deployment/default/legacy-api#spec.template.spec';
  const DS = 'apps/v1/DaemonSet/monitoring/log-agent#spec.template.spec';

  it('every finding is an orchestrator misconfiguration located in the file', () => {
    for (const f of findings) {
      assert.equal(f.kind, 'misconfiguration');
      assert.equal(f.stackLayer, 'orchestrator');
      assert.equal(f.location.path, 'workload/unhardened.yaml');
      assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
    }
    assert.equal(new Set(findings.map((f) => f.fingerprint)).size, findings.length, 'fingerprints unique');
  });

  it('BW-K8S-001 limits: partial limits point at limits, no resources at the container', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-001'), [`BW-K8S-001 26 ${D}.containers[0].resources.limits`, `BW-K8S-001 29 ${D}.containers[1]`]);
  });
  it('BW-K8S-002 requests: a cpu limit stands in for the cpu request', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-002'), [`BW-K8S-002 25 ${D}.containers[0].resources`, `BW-K8S-002 29 ${D}.containers[1]`]);
    assert.match(findings.find((f) => f.id === 'BW-K8S-002')!.description!, /no memory request$/);
  });
  it('BW-K8S-003 latest or missing tag', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-003'), [`BW-K8S-003 17 ${D}.containers[0].image`, `BW-K8S-003 30 ${D}.containers[1].image`]);
  });
  it('BW-K8S-004 not pinned by digest', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-004'), [
      `BW-K8S-004 17 ${D}.containers[0].image`,
      `BW-K8S-004 30 ${D}.containers[1].image`,
      `BW-K8S-004 48 ${DS}.containers[0].image`,
    ]);
  });
  it('BW-K8S-005 mutable tags not pulled Always (explicit IfNotPresent, and the default for a version tag)', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-005'), [`BW-K8S-005 31 ${D}.containers[1].imagePullPolicy`, `BW-K8S-005 48 ${DS}.containers[0].image`]);
  });
  it('BW-K8S-006/007 probes missing', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-006'), [`BW-K8S-006 16 ${D}.containers[0]`, `BW-K8S-006 29 ${D}.containers[1]`]);
    assert.deepEqual(byId(findings, 'BW-K8S-007'), [`BW-K8S-007 16 ${D}.containers[0]`, `BW-K8S-007 29 ${D}.containers[1]`]);
  });
  it('BW-K8S-008 token automount: explicit true, and unset with a ServiceAccount that does not opt out', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-008'), [`BW-K8S-008 14 ${D}.automountServiceAccountToken`, `BW-K8S-008 44 ${DS}`]);
  });
  it('BW-K8S-009 runtime sockets, and a directory holding one', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-009'), [`BW-K8S-009 64 ${DS}.volumes[0].hostPath.path`, `BW-K8S-009 67 ${DS}.volumes[1].hostPath.path`]);
  });
  it('BW-K8S-010 writable root filesystem', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-010'), [`BW-K8S-010 28 ${D}.containers[0].securityContext.readOnlyRootFilesystem`, `BW-K8S-010 29 ${D}.containers[1]`]);
  });
  it('BW-K8S-011 literal secrets, without the value in the finding', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-011'), [`BW-K8S-011 20 ${D}.containers[0].env[0].value`, `BW-K8S-011 22 ${D}.containers[0].env[1].value`]);
    const text = JSON.stringify(findings);
    assert.ok(!text.includes('s3cr3t') && !text.includes('sk_live'), 'secret values stay out of findings');
  });
  it('BW-K8S-012 default namespace', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-012'), ['BW-K8S-012 6 apps/v1/Deployment/default/legacy-api#metadata.namespace', 'BW-K8S-012 79 v1/Service/default/legacy-api#metadata.namespace']);
  });
  it('BW-K8S-013 NodePort and LoadBalancer Services', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-013'), ['BW-K8S-013 81 v1/Service/default/legacy-api#spec.type', 'BW-K8S-013 92 v1/Service/monitoring/log-agent-metrics#spec.type']);
  });
  it('BW-K8S-014 one finding per namespace without a NetworkPolicy', () => {
    assert.deepEqual(byId(findings, 'BW-K8S-014'), ['BW-K8S-014 37 apps/v1/DaemonSet/monitoring/log-agent#metadata.namespace', 'BW-K8S-014 6 apps/v1/Deployment/default/legacy-api#metadata.namespace']);
  });
  it('findings come in report order, deterministic across runs', () => {
    assert.deepEqual(checkWorkloads(fixtureObjects('workload/unhardened.yaml'), 'manifests').map(short), findings.map(short));
    assert.equal(findings[0]!.severity, 'HIGH');
  });
});

describe('k8s workload rules: edges', () => {
  it('a NetworkPolicy in another namespace does not cover this one; manifests without namespace group together', () => {
    const objects = objectsFromYaml(
      'inline.yaml',
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: { name: deny, namespace: other }',
        'spec: { podSelector: {} }',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: a',
        'spec:',
        '  containers: [{ name: c, image: x:1 }]',
        '---',
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata:',
        '  name: b',
        'spec:',
        '  template:',
        '    spec:',
        '      containers: [{ name: c, image: x:1 }]',
      ].join('\n'),
    );
    const np = checkWorkloads(objects, 't').filter((f) => f.id === 'BW-K8S-014');
    assert.deepEqual(np.map((f) => [f.location.line, f.location.resource]), [[8, 'v1/Pod/a#metadata']]);
    assert.match(np[0]!.description!, /Pod\/a, Job\/b/);
    // A Job gets no probe findings; the Pod does.
    const probes = checkWorkloads(objects, 't').filter((f) => f.id === 'BW-K8S-006').map((f) => f.location.resource);
    assert.deepEqual(probes, ['v1/Pod/a#spec.containers[0]']);
  });

  it('image references', () => {
    assert.deepEqual(imageParts('registry:5000/app'), {});
    assert.deepEqual(imageParts('registry:5000/app:1.2'), { tag: '1.2' });
    assert.deepEqual(imageParts('app:1@sha256:abc'), { tag: '1', digest: 'sha256:abc' });
    assert.ok(isDigestPinned(`app@sha256:${'a'.repeat(64)}`));
    assert.ok(!isDigestPinned('app@sha256:abc'));
    assert.equal(effectivePullPolicy('app', undefined), 'Always');
    assert.equal(effectivePullPolicy('app:latest', undefined), 'Always');
    assert.equal(effectivePullPolicy('app:1.0', undefined), 'IfNotPresent');
    assert.equal(effectivePullPolicy('app:1.0', 'Never'), 'Never');
  });

  it('secret-looking env names', () => {
    assert.ok(looksLikeLiteralSecret('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI'));
    assert.ok(looksLikeLiteralSecret('github_token', 'ghp_x'));
    assert.ok(!looksLikeLiteralSecret('TOKEN_FILE', '/run/secrets/token'));
    assert.ok(!looksLikeLiteralSecret('DB_PASSWORD', ''));
    assert.ok(!looksLikeLiteralSecret('DB_PASSWORD', '$(DB_PASS)'));
    assert.ok(!looksLikeLiteralSecret('LOG_LEVEL', 'debug'));
  });

  it('runtime socket paths', () => {
    assert.equal(runtimeSocketOf('/var/run/docker.sock'), '/var/run/docker.sock');
    assert.equal(runtimeSocketOf('/var/run'), '/var/run/docker.sock');
    assert.equal(runtimeSocketOf('/run/crio/'), '/run/crio/crio.sock');
    assert.equal(runtimeSocketOf('/var/lib/docker'), undefined);
    assert.equal(runtimeSocketOf('/var/run/docker.sock.bak'), undefined);
  });
});

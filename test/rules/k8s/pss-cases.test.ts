import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/core/finding.js';
import { loadManifests } from '../../../src/k8s/load.js';
import { checkPodSecurity, pssControlsFor } from '../../../src/modules/rules/k8s/pss/index.js';

const file = 'cases.yaml';
const { objects } = loadManifests(file, readFileSync(new URL('../../fixtures/k8s/pss/cases.yaml', import.meta.url), 'utf8'));
const findings = checkPodSecurity(objects, 'cases');

function of(name: string): Finding[] {
  return findings.filter((f) => f.location.resource!.split('#')[0]!.endsWith(`/cases/${name}`));
}
function summary(name: string): string[] {
  return of(name)
    .map((f) => `${f.aliases.find((a) => a.startsWith('pss:'))!.slice(4)} ${f.location.resource!.split('#')[1]} :${f.location.line}`)
    .sort();
}
function controlsAt(level: 'baseline' | 'restricted'): Set<string> {
  return new Set(pssControlsFor(level).map((c) => c.meta.id));
}

describe('PSS tricky cases', () => {
  it('a container overriding a safe pod-level setting is flagged at the container field', () => {
    assert.deepEqual(summary('override'), [
      'runAsNonRoot spec.template.spec.containers[1].securityContext.runAsNonRoot :25',
      'seccompProfile_baseline spec.template.spec.containers[1].securityContext.seccompProfile.type :27',
      'seccompProfile_restricted spec.template.spec.containers[1].securityContext.seccompProfile.type :27',
    ]);
  });

  it('init containers are checked like containers and inherit pod-level settings', () => {
    assert.deepEqual(summary('init'), [
      'allowPrivilegeEscalation spec.initContainers[0].securityContext.allowPrivilegeEscalation :46',
      'capabilities_restricted spec.initContainers[0].securityContext.capabilities.drop :46',
      'privileged spec.initContainers[0].securityContext.privileged :48',
      'runAsUser spec.initContainers[0].securityContext.runAsUser :47',
    ]);
  });

  it('lowercase "all" in capabilities.drop fails capabilities_restricted, as in Pod Security Admission', () => {
    assert.deepEqual(summary('lowercase'), ['capabilities_restricted spec.containers[0].securityContext.capabilities.drop[0] :74']);
    assert.match(of('lowercase')[0]!.description!, /upper case/);
  });

  it('a restricted pod is clean at both levels', () => {
    assert.deepEqual(summary('restricted'), []);
  });

  it('a pod with no security settings is baseline-clean but fails restricted', () => {
    const ids = of('baseline-only').map((f) => f.id);
    assert.ok(ids.length > 0);
    assert.ok(ids.every((id) => !controlsAt('baseline').has(id)));
    assert.deepEqual(summary('baseline-only'), [
      'allowPrivilegeEscalation spec.containers[0].securityContext.allowPrivilegeEscalation :111',
      'capabilities_restricted spec.containers[0].securityContext.capabilities.drop :111',
      'runAsNonRoot spec.containers[0].securityContext.runAsNonRoot :111',
      'seccompProfile_restricted spec.containers[0].securityContext.seccompProfile.type :111',
    ]);
  });

  it('hostUsers: false exempts runAsNonRoot, runAsUser and baseline procMount only', () => {
    assert.deepEqual(summary('userns'), [
      'capabilities_restricted spec.containers[0].securityContext.capabilities.drop :129',
      'procMount_restricted spec.containers[0].securityContext.procMount :130',
    ]);
  });

  it('findings are deterministic and carry resource, file and fingerprint', () => {
    assert.deepEqual(checkPodSecurity(objects, 'cases'), findings);
    assert.equal(new Set(findings.map((f) => f.fingerprint)).size, findings.length);
    for (const f of findings) assert.equal(f.location.path, file);
  });
});

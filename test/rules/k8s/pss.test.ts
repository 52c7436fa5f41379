import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadManifests } from '../../../src/k8s/load.js';
import { podTemplates } from '../../../src/k8s/pod-templates.js';
import { PSS_RULES, checkPodSecurity, pssControlsFor, pssRules } from '../../../src/modules/rules/k8s/pss/index.js';
import { assertMetaContract } from '../meta-contract.js';

const FIXTURES = new URL('../../fixtures/k8s/pss/', import.meta.url);

/** The lines a fixture marks with "# FAIL": exactly where the control's findings must point. */
function failLines(text: string): number[] {
  return text.split('\n').flatMap((l, i) => (/#\s*FAIL\b/.test(l) ? [i + 1] : []));
}

describe('PSS controls against their fixtures', () => {
  for (const c of PSS_RULES) {
    it(`${c.meta.id} ${c.control}: findings on exactly the marked lines, passing documents clean`, () => {
      const file = `${c.control}.yaml`;
      const text = readFileSync(new URL(file, FIXTURES), 'utf8');
      const { objects, warnings } = loadManifests(file, text);
      assert.deepEqual(warnings, []);
      const findings = checkPodSecurity(objects, 'fixtures').filter((f) => f.id === c.meta.id);
      const expected = failLines(text);
      assert.ok(expected.length > 0, 'fixture has failing lines');
      assert.deepEqual(findings.map((f) => f.location.line).sort((a, b) => a! - b!), expected);
      for (const f of findings) {
        assert.equal(f.location.path, file);
        assert.equal(f.stackLayer, 'orchestrator');
        assert.equal(f.kind, 'misconfiguration');
        assert.ok(f.aliases.includes(`pss:${c.control}`) && f.aliases.includes(`pss-level:${c.level}`));
        assert.match(f.location.resource!, /^[\w./-]+\/\w+\/pss\/[\w-]+#(spec|metadata)\./);
      }
      // At least one pod template (the passing documents) has no finding for this control.
      const flagged = new Set(findings.map((f) => f.location.resource!.split('#')[0]));
      const templates = podTemplates(objects);
      assert.ok(templates.some((t) => !flagged.has(`${t.object.apiVersion}/${t.object.kind}/${t.object.namespace}/${t.object.name}`)));
    });
  }
});

describe('PSS metadata', () => {
  it('ids are BW-PSS-001.. in order, aliases name control and level', () => {
    const metas = pssRules();
    assert.deepEqual(metas.map((m) => m.id), metas.map((_, i) => `BW-PSS-${String(i + 1).padStart(3, '0')}`));
    assertMetaContract(
      metas,
      /^BW-PSS-\d{3}$/,
      (a) => /^pss:\w+$/.test(a) || /^pss-level:(baseline|restricted)$/.test(a) || /^(CKV_K8S_\d+|C-\d{4}|CIS-K8S-5\.\d+\.\d+)$/.test(a),
    );
    const cross = (control: string) => PSS_RULES.find((c) => c.control === control)!.meta.aliases;
    assert.ok(cross('privileged').includes('CKV_K8S_16') && cross('privileged').includes('CIS-K8S-5.2.2'));
    assert.ok(cross('runAsNonRoot').includes('CKV_K8S_23'));
    assert.equal(new Set(PSS_RULES.map((c) => c.control)).size, PSS_RULES.length);
  });

  it('has every PSA control of both levels', () => {
    const baseline = ['hostNamespaces', 'privileged', 'capabilities_baseline', 'hostPathVolumes', 'hostPorts', 'appArmorProfile', 'seLinuxOptions', 'procMount', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'hostProbesAndHostLifecycle'];
    const restricted = ['restrictedVolumes', 'allowPrivilegeEscalation', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted', 'capabilities_restricted', 'procMount_restricted'];
    assert.deepEqual(pssControlsFor('baseline').map((c) => c.control), baseline);
    const atRestricted = pssControlsFor('restricted').map((c) => c.control);
    for (const id of restricted) assert.ok(atRestricted.includes(id), id);
    for (const id of ['hostPathVolumes', 'seccompProfile_baseline', 'capabilities_baseline', 'procMount']) assert.ok(!atRestricted.includes(id), `${id} overridden`);
  });
});

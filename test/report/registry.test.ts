import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules as dockerfileRules } from '../../src/modules/rules/dockerfile/index.js';
import { imageRules } from '../../src/modules/rules/image/index.js';
import { allRulePacks, ruleMeta } from '../../src/modules/rules/registry.js';
import { secretRules } from '../../src/modules/secrets/index.js';

describe('rule registry', () => {
  it('holds the Dockerfile, image, secret, host, Kubernetes and cloud packs', () => {
    assert.deepEqual(allRulePacks().map((p) => p.id), ['dockerfile', 'image', 'secret', 'host', 'pss', 'k8s-workload', 'k8s-rbac', 'k8s-orchestrator', 'k8s-binaries', 'cloud', 'registry-audit']);
  });

  it('finds any built-in rule by id, the same metadata object its pack lists', () => {
    for (const meta of [...dockerfileRules(), ...imageRules(), ...secretRules()]) assert.equal(ruleMeta(meta.id), meta, meta.id);
    assert.equal(ruleMeta('BW-DF-001')?.title, 'Final stage runs as root');
    assert.ok(imageRules().length > 0 && imageRules().every((m) => /^BW-IMG-\d{3}$/.test(m.id)));
  });

  it('knows nothing of advisory ids or unknown rules', () => {
    assert.equal(ruleMeta('CVE-2024-0727'), undefined);
    assert.equal(ruleMeta('BW-TEST-001'), undefined);
    assert.equal(ruleMeta(''), undefined);
  });

  it('no two rules of any packs share an id', () => {
    const ids = allRulePacks().flatMap((p) => p.rules().map((r) => r.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length > 40);
  });
});

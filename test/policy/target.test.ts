import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageArtifact } from '../../src/core/scan-result.js';
import { applyPolicy } from '../../src/policy/filter.js';
import { targetNamesOf } from '../../src/policy/target.js';
import { parseVex } from '../../src/policy/vex.js';
import { vulnFinding } from './findings.js';

const MANIFEST = `sha256:${'1'.repeat(64)}`;
const CONFIG = `sha256:${'2'.repeat(64)}`;
const REPO_DIGEST = `sha256:${'3'.repeat(64)}`;

const artifact: ImageArtifact = {
  reference: 'examples/app.tar',
  source: 'docker-archive',
  repoTags: ['registry.example/app:1.0', 'registry.example/app:latest'],
  repoDigests: [`registry.example/app@${REPO_DIGEST}`],
  manifestDigest: MANIFEST,
  configDigest: CONFIG,
  layers: [],
};

describe('targetNamesOf', () => {
  it('lists the reference, tags, repo digests, manifest digest and image ID once each', () => {
    assert.deepEqual(targetNamesOf(artifact), ['examples/app.tar', 'registry.example/app:1.0', 'registry.example/app:latest', `registry.example/app@${REPO_DIGEST}`, MANIFEST, CONFIG]);
    assert.deepEqual(targetNamesOf({ ...artifact, name: 'examples/app.tar', repoTags: [], repoDigests: [], manifestDigest: undefined, configDigest: undefined }), ['examples/app.tar']);
  });

  it('lets a VEX statement name an archive-scanned image by any of those names', () => {
    const finding = vulnFinding({ id: 'CVE-2024-0001', target: 'examples/app.tar' });
    const statementFor = (product: string) =>
      parseVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', timestamp: '2024-01-01T00:00:00Z', statements: [{ vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': product }], status: 'fixed' }] }), 'v.json');
    for (const product of ['registry.example/app:1.0', `registry.example/app@${REPO_DIGEST}`, MANIFEST, CONFIG, `pkg:oci/app@${CONFIG.replace(':', '%3A')}`, 'examples/app.tar']) {
      assert.equal(applyPolicy([finding], { vex: [statementFor(product)], targetNames: targetNamesOf(artifact) }).suppressed, 1, product);
    }
    for (const product of ['registry.example/app:2.0', 'registry.example/other:1.0', `sha256:${'9'.repeat(64)}`]) {
      assert.equal(applyPolicy([finding], { vex: [statementFor(product)], targetNames: targetNamesOf(artifact) }).suppressed, 0, product);
    }
    assert.equal(applyPolicy([finding], { vex: [statementFor(MANIFEST)] }).suppressed, 0, 'without the target names only the finding target is known');
  });
});

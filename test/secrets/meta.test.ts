import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { renderSecretRulesMarkdown, SECRET_RULES, secretRules, secretsPack } from '../../src/modules/secrets/index.js';
import { DOC_PATH } from './gen-docs.js';
import { assertMetaContract } from '../rules/meta-contract.js';

/** Trivy's built-in secret rule ids (pkg/fanal/secret/builtin-rules.go), the only aliases used. */
const TRIVY_IDS = new Set([
  'aws-access-key-id', 'aws-secret-access-key', 'gcp-service-account', 'github-pat', 'github-fine-grained-pat', 'github-oauth',
  'github-app-token', 'github-refresh-token', 'gitlab-pat', 'slack-access-token', 'slack-web-hook', 'stripe-secret-token',
  'npm-access-token', 'pypi-upload-token', 'jwt-token', 'private-key',
]);

describe('secret rule metadata', () => {
  const all = secretRules();

  it('every rule has every field, filled in', () => {
    assertMetaContract(all, /^BW-SEC-\d{3}$/, (a) => TRIVY_IDS.has(a));
  });

  it('ids and titles are unique, ids in order; no alias is claimed twice', () => {
    const ids = all.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(all.map((r) => r.title)).size, all.length);
    const aliases = all.flatMap((r) => r.aliases);
    assert.equal(new Set(aliases).size, aliases.length);
    assert.equal(secretsPack.id, 'secret');
    assert.deepEqual(secretsPack.rules(), all);
  });

  it('every detection names its secret group and has a prefilter', () => {
    for (const { meta, detect } of SECRET_RULES) {
      assert.ok(detect.patterns.length > 0, meta.id);
      for (const p of detect.patterns) assert.match(p.source, /\(\?<secret>/, `${meta.id} ${p.source}`);
      assert.ok((detect.keywords ?? []).length > 0, `${meta.id} keywords`);
    }
  });

  it('docs/rules/secrets.md is generated from the rule data and lists every rule', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    assert.equal(doc, renderSecretRulesMarkdown(SECRET_RULES), 'regenerate with: node --import tsx test/secrets/gen-docs.ts');
    for (const r of all) assert.ok(doc.includes(`| ${r.id} |`), `${r.id} in the table`);
  });
});

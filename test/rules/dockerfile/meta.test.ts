import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { renderRulesMarkdown } from '../../../src/modules/rules/dockerfile/docs.js';
import { dockerfilePack, rules } from '../../../src/modules/rules/dockerfile/index.js';
import { DOC_PATH } from './gen-docs.js';
import { assertMetaContract, CHECK_ALIAS } from '../meta-contract.js';

/** The hadolint rule each Bulwark rule stands for; null where hadolint has none. */
const HADOLINT: Record<string, string | null> = {
  'BW-DF-001': 'DL3002', 'BW-DF-002': null, 'BW-DF-003': null, 'BW-DF-004': 'DL3005', 'BW-DF-005': 'DL3006',
  'BW-DF-006': 'DL3007', 'BW-DF-007': null, 'BW-DF-008': null, 'BW-DF-009': 'DL3020', 'BW-DF-010': 'DL3000',
  'BW-DF-011': 'DL3001', 'BW-DF-012': 'DL3003', 'BW-DF-013': 'DL3004', 'BW-DF-014': 'DL3008', 'BW-DF-015': 'DL3009',
  'BW-DF-016': 'DL3013', 'BW-DF-017': 'DL3014', 'BW-DF-018': 'DL3015', 'BW-DF-019': 'DL3016', 'BW-DF-020': 'DL3018',
  'BW-DF-021': 'DL3019', 'BW-DF-022': 'DL3025', 'BW-DF-023': 'DL3042', 'BW-DF-024': 'DL3047', 'BW-DF-025': 'DL3059',
  'BW-DF-026': 'DL4006',
};

/** The hadolint rules issue 5 asks for at least. */
const REQUIRED_DL = [
  'DL3000', 'DL3001', 'DL3002', 'DL3003', 'DL3004', 'DL3005', 'DL3006', 'DL3007', 'DL3008', 'DL3009', 'DL3013', 'DL3014',
  'DL3015', 'DL3016', 'DL3018', 'DL3019', 'DL3020', 'DL3025', 'DL3042', 'DL3047', 'DL3059', 'DL4006',
];

describe('dockerfile rule metadata', () => {
  const all = rules();

  it('every rule has every field, filled in', () => {
    assertMetaContract(all, /^BW-DF-\d{3}$/, (a) => CHECK_ALIAS.test(a));
  });

  it('ids are unique and listed in order', () => {
    const ids = all.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(dockerfilePack.id, 'dockerfile');
    assert.deepEqual(dockerfilePack.rules(), all);
  });

  it('each rule carries its hadolint DL id where hadolint has one, and only that one', () => {
    assert.deepEqual(all.map((r) => r.id).sort(), Object.keys(HADOLINT).sort());
    for (const r of all) {
      const dl = r.aliases.filter((a) => a.startsWith('DL'));
      assert.deepEqual(dl, HADOLINT[r.id] ? [HADOLINT[r.id]] : [], r.id);
    }
    const covered = new Set(all.flatMap((r) => r.aliases));
    for (const dl of REQUIRED_DL) assert.ok(covered.has(dl), `${dl} is implemented`);
  });

  it('docs/rules/dockerfile.md is generated from the metadata and lists every rule', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    assert.equal(doc, renderRulesMarkdown(all), 'regenerate with: node --import tsx test/rules/dockerfile/gen-docs.ts');
    for (const r of all) assert.ok(doc.includes(`| ${r.id} |`), `${r.id} in the table`);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { IMAGE_RULES, imagePack, imageRules, renderImageRulesMarkdown } from '../../../src/modules/rules/image/index.js';
import { DOC_PATH } from './gen-docs.js';
import { assertMetaContract, CHECK_ALIAS } from '../meta-contract.js';

/** The cross-reference ids each rule must carry (CIS Docker 4.x, Dockle, hadolint), where one exists. */
const ALIASES: Record<string, string[]> = {
  'BW-IMG-001': ['CIS-DI-0001', 'CIS-DOCKER-4.1', 'DL3002'],
  'BW-IMG-002': ['CIS-DI-0003', 'CIS-DOCKER-4.3'],
  'BW-IMG-003': ['DKL-DI-0001', 'DL3004'],
  'BW-IMG-004': ['CIS-DI-0003', 'CIS-DOCKER-4.3'],
  'BW-IMG-005': ['CIS-DI-0008', 'CIS-DOCKER-4.8'],
  'BW-IMG-006': [],
  'BW-IMG-007': ['CIS-DI-0010', 'CIS-DOCKER-4.10'],
  'BW-IMG-008': ['DKL-LI-0003'],
  'BW-IMG-009': ['DKL-DI-0004', 'DKL-DI-0005', 'DKL-LI-0003', 'DL3009', 'DL3019', 'DL3042'],
  'BW-IMG-010': ['CIS-DI-0006', 'CIS-DOCKER-4.6'],
  'BW-IMG-011': ['CIS-DI-0009', 'CIS-DOCKER-4.9', 'DL3020'],
  'BW-IMG-012': ['DKL-DI-0006', 'DL3006', 'DL3007'],
  'BW-IMG-013': ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
  'BW-IMG-014': ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
  'BW-IMG-015': ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
  'BW-IMG-016': ['DKL-LI-0001'],
  'BW-IMG-017': ['DKL-LI-0002'],
  'BW-IMG-018': ['DKL-DI-0002'],
};

/** Dockle checkpoints an image rule can stand for (CIS-DI-0002/0005 are content trust, 0007/0011 Dockerfile-only or unsupported; DKL-DI-0003 is Dockerfile-only). */
const DOCKLE_IMAGE_CHECKS = ['CIS-DI-0001', 'CIS-DI-0003', 'CIS-DI-0004', 'CIS-DI-0006', 'CIS-DI-0008', 'CIS-DI-0009', 'CIS-DI-0010', 'DKL-DI-0001', 'DKL-DI-0002', 'DKL-DI-0004', 'DKL-DI-0005', 'DKL-DI-0006', 'DKL-LI-0001', 'DKL-LI-0002', 'DKL-LI-0003'];

describe('image rule metadata', () => {
  const all = imageRules();

  it('every rule has every field, filled in', () => {
    assertMetaContract(all, /^BW-IMG-\d{3}$/, (a) => CHECK_ALIAS.test(a));
  });

  it('ids are unique, consecutive and listed in order; the pack lists them', () => {
    const ids = all.map((r) => r.id);
    assert.deepEqual(ids, ids.map((_, i) => `BW-IMG-${String(i + 1).padStart(3, '0')}`));
    assert.equal(imagePack.id, 'image');
    assert.deepEqual(imagePack.rules(), all);
    assert.equal(IMAGE_RULES.length, all.length);
  });

  it('each rule carries its cross-reference ids, and the Dockle image checks are all covered', () => {
    assert.deepEqual(all.map((r) => r.id), Object.keys(ALIASES));
    for (const r of all) assert.deepEqual(r.aliases, ALIASES[r.id], r.id);
    const covered = new Set(all.flatMap((r) => r.aliases));
    for (const id of DOCKLE_IMAGE_CHECKS) assert.ok(covered.has(id), `${id} is implemented`);
  });

  it('docs/rules/image.md is generated from the metadata and lists every rule', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    assert.equal(doc, renderImageRulesMarkdown(), 'regenerate with: node --import tsx test/rules/image/gen-docs.ts');
    for (const r of all) assert.ok(doc.includes(`| ${r.id} |`), `${r.id} in the table`);
  });
});

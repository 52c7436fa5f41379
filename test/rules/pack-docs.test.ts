import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PACK_DOCS, renderPackDocs } from '../../src/modules/rules/pack-docs.js';
import { allRulePacks } from '../../src/modules/rules/registry.js';
import { REPO_ROOT } from './gen-pack-docs.js';

describe('docs/rules pages of the orchestrator, cloud and registry packs', () => {
  it('every documented pack is registered', () => {
    const registered = new Set(allRulePacks().map((p) => p.id));
    for (const id of Object.keys(PACK_DOCS)) assert.ok(registered.has(id), `${id} is a registered pack`);
  });

  for (const page of renderPackDocs()) {
    it(`${page.file} is generated from the metadata and lists every rule`, () => {
      const doc = readFileSync(REPO_ROOT + page.file, 'utf8');
      assert.equal(doc, page.text, 'regenerate with: node --import tsx test/rules/gen-pack-docs.ts');
      const pack = allRulePacks().find((p) => PACK_DOCS[p.id]?.file === page.file)!;
      for (const r of pack.rules()) assert.ok(doc.includes(`| ${r.id} |`), `${r.id} in the table`);
    });
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeRuleSources } from '../../src/runtime/rules/describe.js';
import { DEFAULT_RULES_FILE, FIELDS } from '../../src/runtime/rules/index.js';
import { REPO_ROOT, RULES_DOC, renderRulesDoc } from './gen-rules-doc.js';

describe('docs/runtime-rules.md', () => {
  let text = '';

  it('is what the generator makes from the engine and the default rules', () => {
    text = renderRulesDoc(); // throws when an example, a sensor's event types or a field's docs no longer hold
    assert.equal(readFileSync(REPO_ROOT + RULES_DOC, 'utf8'), text, 'regenerate with: npx tsx test/runtime/gen-rules-doc.ts');
  });

  it('has a row for every field and a section for every shipped rule, list and macro', () => {
    for (const name of FIELDS.keys()) assert.ok(text.includes(`| \`${name}\` |`), `field ${name}`);
    const set = describeRuleSources([{ file: DEFAULT_RULES_FILE, text: readFileSync(DEFAULT_RULES_FILE, 'utf8') }]);
    assert.ok(set.rules.length >= 10, 'the default rules load');
    for (const r of set.rules) assert.ok(text.includes(`\n### ${r.def.name}\n`), `rule ${r.def.name}`);
    for (const l of set.lists.keys()) assert.ok(text.includes(`| \`${l}\` |`), `list ${l}`);
    for (const m of set.macros.keys()) assert.ok(text.includes(`| \`${m}\` |`), `macro ${m}`);
  });

  it('describes what each rule uses, macros and nested lists included', () => {
    const set = describeRuleSources([{ file: DEFAULT_RULES_FILE, text: readFileSync(DEFAULT_RULES_FILE, 'utf8') }]);
    const pkg = set.rules.find((r) => r.def.name === 'Package management process in container')!;
    assert.deepEqual(pkg.macros, ['spawned_process', 'container', 'package_mgmt_procs']);
    assert.ok(pkg.lists.includes('debian_package_binaries') && pkg.lists.includes('language_package_binaries'), pkg.lists.join());
    const write = set.rules.find((r) => r.def.name === 'Write below binary dir')!;
    assert.ok(write.macros.includes('open_write') && write.lists.includes('package_mgmt_binaries'), 'exception lists count');
    assert.deepEqual(write.eventTypes, ['chmod', 'open', 'openat', 'openat2', 'rename', 'unlinkat']);
  });
});

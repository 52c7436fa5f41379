import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintDockerfile, rules } from '../../../src/modules/rules/dockerfile/index.js';

/**
 * Case files: cases/<rule id>.Dockerfile. A comment `# expect: ID[, ID...]` directly above an
 * instruction says the linter reports those findings on that instruction's line (an id repeated means
 * that many findings); `# pass` says the case's rule reports nothing there. Lines starting `# ===`
 * split the file into separate Dockerfiles (each linted alone, line numbers kept), for rules that look
 * at the whole file, such as the final stage's USER. The case's rule must report exactly the expected
 * lines, no more.
 */
const CASES = join(fileURLToPath(new URL('.', import.meta.url)), 'cases');

interface Case {
  ruleId: string;
  docs: string[];
  expected: number[];
  passing: number[];
}

function readCase(file: string): Case {
  const ruleId = file.replace(/\.Dockerfile$/, '');
  const lines = readFileSync(join(CASES, file), 'utf8').split('\n');
  const docOf: number[] = [];
  let doc = 0;
  for (const line of lines) {
    if (line.startsWith('# ===')) doc++;
    docOf.push(doc);
  }
  const docs: string[] = [];
  for (let d = 0; d <= doc; d++) docs.push(lines.map((l, i) => (docOf[i] === d ? l : '')).join('\n'));
  const expected: number[] = [];
  const passing: number[] = [];
  const nextInstruction = (i: number): number => {
    let j = i + 1;
    while (j < lines.length && (lines[j] as string).trim().startsWith('#')) j++;
    return j + 1;
  };
  lines.forEach((line, i) => {
    const m = /^#\s*expect:\s*(.+)$/.exec(line.trim());
    if (m) for (const id of (m[1] as string).split(',').map((s) => s.trim())) if (id === ruleId) expected.push(nextInstruction(i));
    if (/^#\s*pass\s*$/.test(line.trim())) passing.push(nextInstruction(i));
  });
  return { ruleId, docs, expected: expected.sort((a, b) => a - b), passing };
}

const files = readdirSync(CASES).filter((f) => f.endsWith('.Dockerfile')).sort();

describe('dockerfile rule case files', () => {
  it('there is one case file per rule', () => {
    assert.deepEqual(files.map((f) => f.replace(/\.Dockerfile$/, '')), rules().map((r) => r.id).sort());
  });

  for (const file of files) {
    const c = readCase(file);
    it(`${c.ruleId}: reports exactly the expected lines`, () => {
      assert.ok(c.expected.length > 0, 'the case file has failing lines');
      assert.ok(c.passing.length > 0, 'the case file has passing lines');
      const found = c.docs
        .filter((d) => /^\s*FROM\s/im.test(d))
        .flatMap((d) => lintDockerfile(d, { path: `cases/${file}`, hasDockerignore: false }))
        .filter((f) => f.id === c.ruleId);
      assert.deepEqual(found.map((f) => f.location.line).sort((a, b) => (a ?? 0) - (b ?? 0)), c.expected);
      for (const line of c.passing) assert.ok(!c.expected.includes(line), `line ${line} is marked both pass and expect`);
      for (const f of found) {
        assert.equal(f.kind, 'misconfiguration');
        assert.equal(f.stackLayer, 'image');
        assert.equal(f.target, `cases/${file}`);
        assert.equal(f.location.path, `cases/${file}`);
        assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
      }
    });
  }
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  MAX_POLICY_BYTES,
  RetentionPolicyError,
  loadRetentionPolicy,
  parseRetentionPolicy,
  validateRetentionPolicy,
} from '../../src/registry/retention/index.js';

const FIX = fileURLToPath(new URL('../fixtures/registry/policies', import.meta.url));

const okRule = (p: number, sel: Record<string, unknown> = {}): Record<string, unknown> => ({
  rulePriority: p,
  selection: { tagStatus: 'tagged', tagPatternList: [`p${p}-*`], countType: 'imageCountMoreThan', countNumber: 3, ...sel },
  action: { type: 'expire' },
});

/** The problem lines validation reports for `value`; fails when validation passes. */
function problems(value: unknown, source = 'policy.json'): string[] {
  try {
    validateRetentionPolicy(value, source);
  } catch (e) {
    assert.ok(e instanceof RetentionPolicyError, String(e));
    assert.equal(e.code, 'E_INPUT');
    assert.equal(e.message, e.problems.join('\n'));
    for (const line of e.problems) assert.ok(!line.includes('\n'), `one line: ${line}`);
    return [...e.problems];
  }
  assert.fail('expected the policy to be rejected');
}

function withSel(sel: Record<string, unknown>, p = 2): unknown {
  const r = okRule(p);
  return { rules: [okRule(1), { ...r, selection: sel }] };
}

describe('policy validation: each problem is one line naming file, rule and field', () => {
  const cases: [string, unknown, string][] = [
    ['sinceImagePushed without countUnit', withSel({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 5 }),
      'policy.json: rule 2: selection.countUnit: required with sinceImagePushed'],
    ['countUnit with imageCountMoreThan', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 5 }),
      'policy.json: rule 2: selection.countUnit: not allowed with imageCountMoreThan'],
    ['countUnit other than days', withSel({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 5 }),
      'policy.json: rule 2: selection.countUnit: must be "days", not "hours"'],
    ['countNumber 0', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 }),
      'policy.json: rule 2: selection.countNumber: must be a positive integer (0 is not accepted)'],
    ['countNumber fractional', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1.5 }),
      'policy.json: rule 2: selection.countNumber: must be a positive integer'],
    ['countNumber as string', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: '3' }),
      'policy.json: rule 2: selection.countNumber: must be a positive integer'],
    ['countNumber missing', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan' }),
      'policy.json: rule 2: selection.countNumber: required'],
    ['countType unknown (ECR archive feature)', withSel({ tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 3 }),
      'policy.json: rule 2: selection.countType: must be "imageCountMoreThan" or "sinceImagePushed", not "sinceImagePulled"'],
    ['tagStatus unknown', withSel({ tagStatus: 'TAGGED', countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagStatus: must be "tagged" or "untagged" or "any", not "TAGGED"'],
    ['tagged without a list', withSel({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPatternList: required with tagStatus "tagged" (or tagPrefixList)'],
    ['tagged with both lists', withSel({ tagStatus: 'tagged', tagPatternList: ['a*'], tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPrefixList: not allowed together with tagPatternList; use one of them'],
    ['untagged with tagPrefixList', withSel({ tagStatus: 'untagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPrefixList: only allowed with tagStatus "tagged", not "untagged"'],
    ['any with tagPatternList', withSel({ tagStatus: 'any', tagPatternList: ['a*'], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPatternList: only allowed with tagStatus "tagged", not "any"'],
    ['empty tagPrefixList', withSel({ tagStatus: 'tagged', tagPrefixList: [], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPrefixList: must list at least one tag'],
    ['empty string in tagPatternList', withSel({ tagStatus: 'tagged', tagPatternList: ['a*', ''], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPatternList[1]: must not be empty'],
    // Guide: ["test*1*2*3*4*5*6"] is invalid (more than four wildcards per string).
    ['more than four wildcards (guide example)', withSel({ tagStatus: 'tagged', tagPatternList: ['test*1*2*3*4*5*6'], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPatternList[0]: "test*1*2*3*4*5*6" has 6 wildcards; at most 4 are allowed'],
    ['five wildcards', withSel({ tagStatus: 'tagged', tagPatternList: ['*a*b*c*d*'], countType: 'imageCountMoreThan', countNumber: 3 }),
      'policy.json: rule 2: selection.tagPatternList[0]: "*a*b*c*d*" has 5 wildcards; at most 4 are allowed'],
    ['unknown field in selection', withSel({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 3, storageClass: 'archive' }),
      'policy.json: rule 2: selection.storageClass: unknown field'],
    ['unknown field in rule', { rules: [okRule(1), { ...okRule(2), priority: 2 }] }, 'policy.json: rule 2: priority: unknown field'],
    ['unknown top-level field', { rules: [okRule(1)], protectedTags: ['x'] }, 'policy.json: protectedTags: unknown field'],
    ['unknown field in action', { rules: [{ ...okRule(3), action: { type: 'expire', targetStorageClass: 'archive' } }] },
      'policy.json: rule 3: action.targetStorageClass: unknown field'],
    ['action type other than expire', { rules: [{ ...okRule(3), action: { type: 'transition' } }] },
      'policy.json: rule 3: action.type: must be "expire", not "transition"'],
    ['action missing', { rules: [{ rulePriority: 4, selection: okRule(4).selection }] }, 'policy.json: rule 4: action: required'],
    ['selection missing', { rules: [{ rulePriority: 4, action: { type: 'expire' } }] }, 'policy.json: rule 4: selection: required'],
    ['rulePriority missing', { rules: [okRule(1), { selection: okRule(2).selection, action: { type: 'expire' } }] },
      'policy.json: rules[1]: rulePriority: required'],
    ['rulePriority 0', { rules: [okRule(0)] }, 'policy.json: rules[0]: rulePriority: must be a positive integer (0 is not accepted)'],
    ['rulePriority negative', { rules: [okRule(-2)] }, 'policy.json: rules[0]: rulePriority: must be a positive integer (0 is not accepted)'],
    ['rulePriority fractional', { rules: [okRule(1.5)] }, 'policy.json: rules[0]: rulePriority: must be a positive integer'],
    ['duplicate rulePriority', { rules: [okRule(1), okRule(2), { ...okRule(2), selection: { ...okRule(2).selection as object, tagPatternList: ['z*'] } }] },
      'policy.json: rule 2: rulePriority: 2 is used by more than one rule; priorities must be unique'],
    ['any not the highest priority', { rules: [okRule(1, { tagStatus: 'any', tagPatternList: undefined }), okRule(2)] },
      'policy.json: rule 1: selection.tagStatus: a rule with tagStatus "any" must have the highest rulePriority (2 is higher)'],
    ['two untagged rules', { rules: [okRule(1, { tagStatus: 'untagged', tagPatternList: undefined }), okRule(2, { tagStatus: 'untagged', tagPatternList: undefined })] },
      'policy.json: rule 2: selection.tagStatus: only one rule may select untagged images (rule 1 already does)'],
    ['same tag prefix set twice', { rules: [okRule(1, { tagPatternList: undefined, tagPrefixList: ['a', 'b'] }), okRule(2, { tagPatternList: undefined, tagPrefixList: ['b', 'a'] })] },
      'policy.json: rule 2: selection.tagPrefixList: same tag set as rule 1; each rule needs its own set'],
    ['rules empty', { rules: [] }, 'policy.json: rules: must contain at least one rule'],
    ['rules missing', {}, 'policy.json: rules: required'],
    ['rules not a list', { rules: { rulePriority: 1 } }, 'policy.json: rules: must be a list of rules'],
    ['rule not an object', { rules: [okRule(1), 'x'] }, 'policy.json: rules[1]: must be an object'],
    ['not an object', [okRule(1)], 'policy.json: the policy must be a JSON object with a "rules" list'],
    ['protected tag not a string', { rules: [okRule(1)], bulwarkProtectedTags: ['ok', 7] }, 'policy.json: bulwarkProtectedTags[1]: must be a string'],
    ['protected tags not a list', { rules: [okRule(1)], bulwarkProtectedTags: 'latest' }, 'policy.json: bulwarkProtectedTags: must be a list of strings'],
    ['protected tag with too many wildcards', { rules: [okRule(1)], bulwarkProtectedTags: ['*a*b*c*d*'] },
      'policy.json: bulwarkProtectedTags[0]: "*a*b*c*d*" has 5 wildcards; at most 4 are allowed'],
    ['description not a string', { rules: [{ ...okRule(1), description: 5 }] }, 'policy.json: rule 1: description: must be a string'],
  ];
  for (const [name, value, line] of cases) {
    it(name, () => assert.deepEqual(problems(value), [line]));
  }

  it('accepts the guide example of four wildcards: ["*test*1*2*3", "test*1*2*3*"] is valid', () => {
    const p = validateRetentionPolicy({ rules: [okRule(1, { tagPatternList: ['*test*1*2*3', 'test*1*2*3*'] })] }, 'policy.json');
    assert.deepEqual(p.rules[0]!.selection.tagPatternList, ['*test*1*2*3', 'test*1*2*3*']);
    assert.deepEqual(p.bulwarkProtectedTags, []);
  });

  it('reports every problem of every rule at once, one line each', () => {
    const lines = problems({
      rules: [
        okRule(1, { countType: 'sinceImagePushed' }),
        okRule(2, { tagStatus: 'untagged' }),
        { ...okRule(3), extra: true },
      ],
    });
    assert.deepEqual(lines, [
      'policy.json: rule 1: selection.countUnit: required with sinceImagePushed',
      'policy.json: rule 2: selection.tagPatternList: only allowed with tagStatus "tagged", not "untagged"',
      'policy.json: rule 3: extra: unknown field',
    ]);
  });

  it('non-sequential priorities and any as highest are fine; the file order is kept', () => {
    const p = validateRetentionPolicy(
      { rules: [okRule(30, { tagStatus: 'any', tagPatternList: undefined }), okRule(10), okRule(20, { tagStatus: 'untagged', tagPatternList: undefined })], bulwarkProtectedTags: ['latest'] },
      'policy.json',
    );
    assert.deepEqual(p.rules.map((r) => r.rulePriority), [30, 10, 20]);
    assert.deepEqual(p.bulwarkProtectedTags, ['latest']);
  });
});

describe('policy files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-retention-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('every ECR example fixture loads', async () => {
    for (const f of ['ecr-age.json', 'ecr-count.json', 'ecr-multiple-rules-a.json', 'ecr-multiple-rules-b.json', 'ecr-multiple-tags-a.json',
      'ecr-multiple-tags-b.json', 'ecr-all-images-a.json', 'ecr-all-images-b.json', 'protected.json']) {
      const p = await loadRetentionPolicy(join(FIX, f));
      assert.ok(p.rules.length > 0, f);
    }
  });

  it('names the file as given in the problem line', async () => {
    await assert.rejects(loadRetentionPolicy(join(FIX, 'invalid-countunit.json'), 'invalid-countunit.json'), (e: unknown) => {
      assert.ok(e instanceof RetentionPolicyError);
      assert.deepEqual(e.problems, ['invalid-countunit.json: rule 2: selection.countUnit: required with sinceImagePushed']);
      return true;
    });
    const full = join(FIX, 'invalid-countunit.json');
    await assert.rejects(loadRetentionPolicy(full), { message: `${full}: rule 2: selection.countUnit: required with sinceImagePushed` });
  });

  it('malformed JSON is one line with the position', async () => {
    await assert.rejects(loadRetentionPolicy(join(FIX, 'malformed.json'), 'malformed.json'), (e: unknown) => {
      assert.ok(e instanceof RetentionPolicyError);
      assert.equal(e.problems.length, 1);
      assert.match(e.message, /^malformed\.json: not valid JSON: .*line 3 column 2\d/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    assert.throws(() => parseRetentionPolicy('', 'empty.json'), /^RetentionPolicyError: empty\.json: not valid JSON: /);
  });

  it('refuses a file over 1 MiB without parsing it; exactly 1 MiB is accepted', async () => {
    const body = JSON.stringify({ rules: [okRule(1)] });
    const exact = join(dir, 'exact.json');
    await writeFile(exact, body + ' '.repeat(MAX_POLICY_BYTES - body.length));
    assert.equal((await loadRetentionPolicy(exact)).rules.length, 1);
    const huge = join(dir, 'huge.json');
    await writeFile(huge, body + ' '.repeat(MAX_POLICY_BYTES - body.length + 1));
    await assert.rejects(loadRetentionPolicy(huge, 'huge.json'), (e: unknown) => {
      assert.ok(e instanceof RetentionPolicyError);
      assert.equal(e.code, 'E_LIMIT');
      assert.equal(e.message, `huge.json: policy file is ${MAX_POLICY_BYTES + 1} bytes; the limit is 1048576 bytes (1 MiB)`);
      return true;
    });
    assert.throws(() => parseRetentionPolicy(body + ' '.repeat(MAX_POLICY_BYTES), 'text.json'), { code: 'E_LIMIT' });
  });

  it('missing file, directory, invalid UTF-8 and a byte-order mark', async () => {
    await assert.rejects(loadRetentionPolicy(join(dir, 'nope.json'), 'nope.json'), { code: 'E_NOT_FOUND', message: 'nope.json: cannot read policy file: no such file' });
    await assert.rejects(loadRetentionPolicy(dir, 'dir'), { message: 'dir: cannot read policy file: not a regular file' });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, Buffer.from([0x7b, 0xff, 0x7d]));
    await assert.rejects(loadRetentionPolicy(bad, 'bad.json'), { message: 'bad.json: not valid UTF-8' });
    const bom = join(dir, 'bom.json');
    await writeFile(bom, '\ufeff' + JSON.stringify({ rules: [okRule(1)] }));
    assert.equal((await loadRetentionPolicy(bom)).rules[0]!.rulePriority, 1);
  });
});

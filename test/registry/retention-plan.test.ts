import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  loadRetentionPolicy,
  matchTagPattern,
  planRetention,
  validateRetentionPolicy,
  type RepoImage,
  type RetentionPlan,
  type RetentionPolicy,
} from '../../src/registry/retention/index.js';

// Fixed clock and image helpers (tests never read the real clock).
const NOW = new Date('2026-01-15T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

/** An image named `name` (digest derived from it) pushed `daysAgo` days before NOW. */
function img(name: string, tags: string[], daysAgo: number): RepoImage {
  const hex = Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);
  return { digest: `sha256:${hex}`, tags, pushedAt: new Date(NOW.getTime() - daysAgo * DAY) };
}

function nameOf(digest: string): string {
  return Buffer.from(digest.slice('sha256:'.length).replace(/(00)+$/, ''), 'hex').toString();
}

const FIX = fileURLToPath(new URL('../fixtures/registry/policies', import.meta.url));
const load = (f: string): Promise<RetentionPolicy> => loadRetentionPolicy(join(FIX, f), f);
const expired = (p: RetentionPlan): string[] => p.expire.map((e) => nameOf(e.digest)).sort();
const kept = (p: RetentionPlan): string[] => p.keep.map((e) => nameOf(e.digest)).sort();

function policy(rules: unknown[], bulwarkProtectedTags?: string[]): RetentionPolicy {
  return validateRetentionPolicy(bulwarkProtectedTags ? { rules, bulwarkProtectedTags } : { rules }, 'test.json');
}
function rule(rulePriority: number, selection: Record<string, unknown>): unknown {
  return { rulePriority, selection, action: { type: 'expire' } };
}

describe('ECR user guide examples ("Examples of lifecycle policies")', () => {
  it('Filtering on image age: tagPatternList prod*, older than 14 days', async () => {
    // "expires images with a tag starting with prod by using a tagPatternList of prod* that are also older than 14 days"
    const images = [img('P20', ['prod'], 20), img('P10', ['prod1'], 10), img('PT15', ['production-team1'], 15), img('D30', ['dev'], 30), img('U', [], 40)];
    const plan = planRetention(await load('ecr-age.json'), images, NOW);
    assert.deepEqual(expired(plan), ['P20', 'PT15']);
    assert.deepEqual(kept(plan), ['D30', 'P10', 'U']);
  });

  it('Filtering on image count: keeps only one untagged image', async () => {
    // "a policy that keeps only one untagged image and expires all others"
    const images = [img('U1', [], 3), img('U2', [], 2), img('U3', [], 1), img('T', ['v1'], 9)];
    const plan = planRetention(await load('ecr-count.json'), images, NOW);
    assert.deepEqual(expired(plan), ['U1', 'U2']);
    assert.deepEqual(kept(plan), ['T', 'U3']);
  });

  const abc = (): RepoImage[] => [img('A', ['beta-1', 'prod-1'], 10), img('B', ['beta-2', 'prod-2'], 9), img('C', ['beta-3'], 8)];

  it('Filtering on multiple rules, example A: "Result: Image A is expired."', async () => {
    // "Rule 2 ... marks both Image A and Image B for expiration. However, Image A has already been seen by Rule 1 and if
    //  Image B were expired it would violate Rule 1 and thus is skipped."
    const plan = planRetention(await load('ecr-multiple-rules-a.json'), abc(), NOW);
    assert.deepEqual(expired(plan), ['A']);
    assert.equal(plan.expire[0]!.rulePriority, 1);
    const b = plan.keep.find((k) => nameOf(k.digest) === 'B')!;
    assert.match(b.reason, /^rule 1: the newest of the images with tags starting with "prod"/);
    assert.match(b.reason, /rule 2: more than 1 image with tags starting with "beta"; this is the 2nd newest, but rule 1 matched it first/);
  });

  it('Filtering on multiple rules, example B: "Result: Images A and B are expired."', async () => {
    // "Rule 2 ... would see no images because all available images were already seen by Rule 1"
    const plan = planRetention(await load('ecr-multiple-rules-b.json'), abc(), NOW);
    assert.deepEqual(expired(plan), ['A', 'B']);
    assert.deepEqual(plan.expire.map((e) => e.rulePriority), [1, 1]);
  });

  it('Filtering on multiple tags in a single rule, example A: "Result: Image C is expired."', async () => {
    // "When multiple tag prefixes are specified on a single rule, images must match all listed tag prefixes."
    const images = [
      img('A', ['alpha-1'], 12),
      img('B', ['beta-1'], 11),
      img('C', ['alpha-2', 'beta-2'], 10),
      img('D', ['alpha-3'], 4),
      img('E', ['beta-3'], 3),
      img('F', ['alpha-4', 'beta-4'], 2),
    ];
    const plan = planRetention(await load('ecr-multiple-tags-a.json'), images, NOW);
    assert.deepEqual(expired(plan), ['C']);
    assert.equal(plan.keep.find((k) => nameOf(k.digest) === 'A')!.reason, 'no rule selects it');
  });

  it('Filtering on multiple tags in a single rule, example B (tags are not exclusive): "Result: Images A and B are expired."', async () => {
    const images = [img('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), img('B', ['alpha-2', 'beta-2'], 9), img('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)];
    const plan = planRetention(await load('ecr-multiple-tags-b.json'), images, NOW);
    assert.deepEqual(expired(plan), ['A', 'B']);
  });

  it('Filtering on all images, example A: "Result: Images A, B, and C are expired."', async () => {
    const images = [img('A', ['alpha-1'], 4), img('B', ['beta-1'], 3), img('C', [], 2), img('D', ['alpha-2'], 1)];
    const plan = planRetention(await load('ecr-all-images-a.json'), images, NOW);
    assert.deepEqual(expired(plan), ['A', 'B', 'C']);
  });

  it('Filtering on all images, example B: "Result: Images A, B, and D are expired."', async () => {
    // The guide lists D and E as both "Pushed: 1 day ago" and has rule 3 keep E as the newest, so E was pushed after D;
    // D is placed a little earlier here. E, pushed exactly 1 day ago, is not "older than one day" for rule 2.
    // "Rule 3 ... can't mark images A, B, C, or E because they were identified by higher priority rules. It marks image D"
    const images = [
      img('A', ['alpha-1', 'beta-1'], 4),
      img('B', [], 3),
      img('C', ['alpha-2'], 2),
      img('D', ['git hash'], 1 + 1 / 24),
      img('E', [], 1),
    ];
    const plan = planRetention(await load('ecr-all-images-b.json'), images, NOW);
    assert.deepEqual(expired(plan), ['A', 'B', 'D']);
    const by = Object.fromEntries(plan.expire.map((e) => [nameOf(e.digest), e.rulePriority]));
    assert.deepEqual(by, { A: 1, B: 2, D: 3 });
    const c = plan.keep.find((k) => nameOf(k.digest) === 'C')!;
    assert.match(c.reason, /rule 3: .* but rule 1 matched it first/);
  });
});

describe('evaluation', () => {
  it('reason text for count rules names the rule, the selection and the rank', () => {
    const p = policy([rule(1, { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'imageCountMoreThan', countNumber: 3 })]);
    const images = [1, 2, 3, 4, 5].map((d) => img(`R${d}`, [`release-${d}`], d));
    const plan = planRetention(p, images, NOW);
    assert.deepEqual(expired(plan), ['R4', 'R5']);
    assert.equal(plan.expire[0]!.reason, 'rule 1: more than 3 images tagged release-*; this is the 5th newest');
    assert.equal(plan.expire[1]!.reason, 'rule 1: more than 3 images tagged release-*; this is the 4th newest');
    assert.deepEqual(plan.expire.map((e) => nameOf(e.digest)), ['R5', 'R4'], 'oldest first');
    assert.equal(plan.keep[0]!.reason, 'rule 1: the newest of the images tagged release-*, which keeps the 3 newest');
  });

  it('sinceImagePushed with a fixed now: exactly N days is kept, a millisecond more expires', () => {
    const p = policy([rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 })]);
    const exact = img('EXACT', ['a'], 7);
    const over = { ...img('OVER', ['b'], 7), pushedAt: new Date(NOW.getTime() - 7 * DAY - 1) };
    const future = img('FUTURE', ['c'], -1);
    const plan = planRetention(p, [exact, over, future], NOW);
    assert.deepEqual(expired(plan), ['OVER']);
    assert.match(plan.expire[0]!.reason, /^rule 1: images pushed more than 7 days ago expire; this one was pushed just over 7 days ago$/);
    assert.equal(plan.keep.find((k) => nameOf(k.digest) === 'EXACT')!.reason, 'rule 1: pushed 7 days ago, not more than 7 days');
    assert.match(plan.keep.find((k) => nameOf(k.digest) === 'FUTURE')!.reason, /in the future/);
  });

  it('count vs days on the same images give different plans', () => {
    const images = [img('A', ['x1'], 30), img('B', ['x2'], 20), img('C', ['x3'], 10), img('D', ['x4'], 1)];
    const byCount = policy([rule(1, { tagStatus: 'tagged', tagPrefixList: ['x'], countType: 'imageCountMoreThan', countNumber: 3 })]);
    const byDays = policy([rule(1, { tagStatus: 'tagged', tagPrefixList: ['x'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 15 })]);
    assert.deepEqual(expired(planRetention(byCount, images, NOW)), ['A']);
    assert.deepEqual(expired(planRetention(byDays, images, NOW)), ['A', 'B']);
  });

  it('untagged, tagged and any select different images', () => {
    const images = [img('U', [], 10), img('T', ['v1'], 10), img('O', ['other'], 10)];
    const sel = (s: Record<string, unknown>): string[] =>
      expired(planRetention(policy([rule(1, { ...s, countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 })]), images, NOW));
    assert.deepEqual(sel({ tagStatus: 'untagged' }), ['U']);
    assert.deepEqual(sel({ tagStatus: 'tagged', tagPatternList: ['v*'] }), ['T']);
    assert.deepEqual(sel({ tagStatus: 'any' }), ['O', 'T', 'U']);
  });

  it('priority order decides, not the order in the file', () => {
    // Rule 1 (listed last) identifies the v* images and keeps them all; the any rule may not touch them.
    const p = policy([
      rule(5, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 10 }),
    ]);
    const images = [img('V1', ['v1'], 5), img('V2', ['v2'], 4), img('X', ['x'], 3), img('Y', ['y'], 2)];
    const plan = planRetention(p, images, NOW);
    // rule 5 ranks all four (Y newest), would mark V1, V2, X; only X is not identified by rule 1.
    assert.deepEqual(expired(plan), ['X']);
    assert.equal(plan.expire[0]!.rulePriority, 5);
  });

  it('a later count rule still counts images an earlier rule identified', () => {
    const p = policy([
      rule(1, { tagStatus: 'tagged', tagPatternList: ['keep-*'], countType: 'imageCountMoreThan', countNumber: 100 }),
      rule(2, { tagStatus: 'tagged', tagPatternList: ['app-*'], countType: 'imageCountMoreThan', countNumber: 2 }),
    ]);
    // K (newest app image) is identified by rule 1, so rule 2 keeps only one more: N2; N1 and N0 go.
    const images = [img('N0', ['app-0'], 4), img('N1', ['app-1'], 3), img('N2', ['app-2'], 2), img('K', ['app-3', 'keep-1'], 1)];
    assert.deepEqual(expired(planRetention(p, images, NOW)), ['N0', 'N1']);
  });

  it('tagPatternList wildcards: prefix, infix, suffix, several; case-sensitive; other characters literal', () => {
    assert.equal(matchTagPattern('prod*', 'prod'), true);
    assert.equal(matchTagPattern('prod*', 'production-team1'), true);
    assert.equal(matchTagPattern('*prod*', 'repo-production'), true);
    assert.equal(matchTagPattern('*prod*', 'prod-team'), true);
    assert.equal(matchTagPattern('prod*', 'Prod1'), false);
    assert.equal(matchTagPattern('prod*', 'xprod'), false);
    assert.equal(matchTagPattern('*-alpine', '1.2-alpine'), true);
    assert.equal(matchTagPattern('*-alpine', '1.2-alpine3'), false);
    assert.equal(matchTagPattern('v1.*-rc*', 'v1.2-rc3'), true);
    assert.equal(matchTagPattern('v1.*', 'v1x2'), false, '. is literal');
    assert.equal(matchTagPattern('a?c', 'abc'), false, '? is literal');
    assert.equal(matchTagPattern('a+', 'aa'), false);
    assert.equal(matchTagPattern('*test*1*2*3', 'xtestx1x2x3'), true);
    assert.equal(matchTagPattern('latest', 'latest'), true);
    assert.equal(matchTagPattern('latest', 'latest2'), false);
    assert.equal(matchTagPattern('*', ''), true);
    assert.equal(matchTagPattern('a*a*a*a*b', 'a'.repeat(5000)), false, 'no catastrophic backtracking');
  });

  it('tagPatternList with several patterns selects only images matching all of them', () => {
    // Guide: "If you specify multiple tags, only the images with all specified tags are selected."
    const p = policy([rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*', '*-arm64'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 })]);
    const images = [img('BOTH', ['prod-1', 'v1-arm64'], 9), img('ONE', ['prod-2'], 9), img('SAME', ['prod-arm64'], 9), img('OTHER', ['x-arm64'], 9)];
    assert.deepEqual(expired(planRetention(p, images, NOW)), ['BOTH', 'SAME']);
  });

  it('tagPrefixList is a prefix match, not a pattern', () => {
    const p = policy([rule(1, { tagStatus: 'tagged', tagPrefixList: ['v1.'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 })]);
    const images = [img('A', ['v1.2'], 9), img('B', ['v102'], 9), img('C', ['xv1.2'], 9), img('D', ['v1.'], 9)];
    assert.deepEqual(expired(planRetention(p, images, NOW)), ['A', 'D']);
  });
});

describe('bulwarkProtectedTags', () => {
  it('protected images survive every rule and say which pattern protects them', async () => {
    const p = await load('protected.json');
    const images = [
      img('R1', ['release-1'], 50),
      img('R2', ['release-2'], 40),
      img('L', ['latest', 'sha-abc'], 60),
      img('U1', [], 30),
      img('U2', [], 20),
      img('X', ['feature-x'], 10),
      img('R3', ['release-3'], 5),
    ];
    const plan = planRetention(p, images, NOW);
    // Rule 1 would expire R1 and R2 (R3 newest), rule 2 expires U1, rule 9 would expire L and X (L protected).
    assert.deepEqual(expired(plan), ['U1', 'X']);
    const r1 = plan.keep.find((k) => nameOf(k.digest) === 'R1')!;
    assert.equal(r1.protectedBy, 'release-*');
    assert.equal(r1.reason, 'protected: tag release-1 matches bulwarkProtectedTags "release-*" (rule 1: more than 1 image tagged release-*; this is the 3rd newest)');
    const l = plan.keep.find((k) => nameOf(k.digest) === 'L')!;
    assert.equal(l.protectedBy, 'latest');
    assert.match(l.reason, /rule 9: images pushed more than 1 day ago expire/);
    assert.equal(plan.keep.find((k) => nameOf(k.digest) === 'X')?.protectedBy, undefined);
  });

  it('protection beats an any rule that would expire everything', () => {
    const p = policy([rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 })], ['stable', 'v*-lts']);
    const images = [img('S', ['stable'], 100), img('LTS', ['v2-lts', 'v2'], 100), img('NO', ['Stable'], 100)];
    const plan = planRetention(p, images, NOW);
    assert.deepEqual(expired(plan), ['NO'], 'protection is case-sensitive');
    assert.deepEqual(plan.keep.map((k) => k.protectedBy).sort(), ['stable', 'v*-lts']);
  });

  it('untagged images cannot be protected', () => {
    const p = policy([rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 })], ['*']);
    const plan = planRetention(p, [img('U1', [], 2), img('U2', [], 1), img('T', ['t'], 3)], NOW);
    assert.deepEqual(expired(plan), ['U1']);
  });
});

describe('input checks', () => {
  const p = (): RetentionPolicy => policy([rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 })]);
  it('refuses a digest listed twice', () => {
    assert.throws(() => planRetention(p(), [img('A', ['a'], 1), img('A', ['b'], 2)], NOW), /listed twice/);
  });
  it('refuses invalid dates', () => {
    assert.throws(() => planRetention(p(), [{ digest: 'sha256:1', tags: [], pushedAt: new Date('x') }], NOW), /no valid push time/);
    assert.throws(() => planRetention(p(), [], new Date('x')), /now is not a valid date/);
  });
  it('does not modify its inputs and handles an empty repository', () => {
    const images = [img('B', ['b'], 1), img('A', ['a'], 2)];
    const copy = structuredClone(images);
    planRetention(p(), images, NOW);
    assert.deepEqual(images, copy);
    assert.deepEqual(planRetention(p(), [], NOW), { expire: [], keep: [] });
  });
});

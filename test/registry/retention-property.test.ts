import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RetentionPolicyError,
  matchTagPattern,
  planRetention,
  validateRetentionPolicy,
  type RepoImage,
  type RetentionPolicy,
} from '../../src/registry/retention/index.js';
import { seededRandom } from '../support/osv-generate.js';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

const WORDS = ['prod', 'beta', 'dev', 'release', 'latest', 'v1', 'v2'];

function randomImages(r: () => number): RepoImage[] {
  const n = Math.floor(r() * 14);
  const out: RepoImage[] = [];
  for (let i = 0; i < n; i++) {
    const tags = new Set<string>();
    const k = r() < 0.25 ? 0 : 1 + Math.floor(r() * 3);
    for (let j = 0; j < k; j++) {
      const w = WORDS[Math.floor(r() * WORDS.length)]!;
      tags.add(r() < 0.3 ? w : `${w}-${Math.floor(r() * 5)}`);
    }
    // Distinct push times (0.37-day steps, shuffled) so the oracle needs no tie-break.
    out.push({ digest: `sha256:${i.toString(16).padStart(64, '0')}`, tags: [...tags], pushedAt: new Date(NOW.getTime() - (1 + i * 0.37) * DAY) });
  }
  return out.sort(() => r() - 0.5);
}

function randomPattern(r: () => number): string {
  return r() < 0.5 ? `${WORDS[Math.floor(r() * WORDS.length)]}*` : `*-${Math.floor(r() * 5)}`;
}

function randomPolicy(r: () => number): RetentionPolicy | undefined {
  const rules: unknown[] = [];
  const n = 1 + Math.floor(r() * 4);
  const priorities = [...new Set(Array.from({ length: n }, () => 1 + Math.floor(r() * 20)))].sort((a, b) => a - b);
  priorities.forEach((p, i) => {
    const last = i === priorities.length - 1;
    const roll = r();
    const selection: Record<string, unknown> =
      last && roll < 0.3
        ? { tagStatus: 'any' }
        : roll < 0.45
          ? { tagStatus: 'untagged' }
          : roll < 0.75
            ? { tagStatus: 'tagged', tagPatternList: r() < 0.3 ? [randomPattern(r), randomPattern(r)] : [randomPattern(r)] }
            : { tagStatus: 'tagged', tagPrefixList: [WORDS[Math.floor(r() * WORDS.length)]!, ...(r() < 0.3 ? [WORDS[Math.floor(r() * WORDS.length)]!] : [])] };
    if (r() < 0.5) Object.assign(selection, { countType: 'imageCountMoreThan', countNumber: 1 + Math.floor(r() * 4) });
    else Object.assign(selection, { countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 + Math.floor(r() * 5) });
    rules.push({ rulePriority: p, selection, action: { type: 'expire' } });
  });
  const prot = r() < 0.6 ? [r() < 0.5 ? 'latest' : 'release-*', ...(r() < 0.3 ? ['v1*'] : [])] : [];
  try {
    return validateRetentionPolicy({ rules, bulwarkProtectedTags: prot }, 'random.json');
  } catch (e) {
    if (e instanceof RetentionPolicyError) return undefined; // e.g. two untagged rules: not a valid policy
    throw e;
  }
}

/**
 * Oracle: a second, literal reading of the ECR rules. Each image belongs to the first rule (by priority) whose tag
 * selection it matches; that rule alone may expire it — by rank among *all* images the rule's selection matches
 * (count) or by age (days) — unless a protected tag keeps it.
 */
function oracle(policy: RetentionPolicy, images: RepoImage[]): Set<string> {
  const sel = (s: RetentionPolicy['rules'][number]['selection'], tags: string[]): boolean =>
    s.tagStatus === 'any' ||
    (s.tagStatus === 'untagged' && tags.length === 0) ||
    (s.tagStatus === 'tagged' &&
      (s.tagPatternList ?? []).every((p) => tags.some((t) => matchTagPattern(p, t))) &&
      (s.tagPrefixList ?? []).every((p) => tags.some((t) => t.startsWith(p))) &&
      tags.length > 0);
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const out = new Set<string>();
  for (const image of images) {
    if (image.tags.some((t) => policy.bulwarkProtectedTags.some((p) => matchTagPattern(p, t)))) continue;
    const owner = rules.find((rule) => sel(rule.selection, image.tags));
    if (!owner) continue;
    const s = owner.selection;
    if (s.countType === 'sinceImagePushed') {
      if (NOW.getTime() - image.pushedAt.getTime() > s.countNumber * DAY) out.add(image.digest);
    } else {
      const newer = images.filter((o) => sel(s, o.tags) && o.pushedAt > image.pushedAt).length;
      if (newer >= s.countNumber) out.add(image.digest);
    }
  }
  return out;
}

describe('retention plan properties over random repositories and policies', () => {
  it('expired ∪ kept = all, disjoint, protected never expired, matches the oracle', () => {
    let checked = 0;
    let expiredTotal = 0;
    for (let seed = 1; checked < 500; seed++) {
      const r = seededRandom(seed);
      const policy = randomPolicy(r);
      if (!policy) continue;
      const images = randomImages(r);
      const plan = planRetention(policy, images, NOW);
      const ctx = `seed ${seed}`;
      const exp = plan.expire.map((e) => e.digest);
      const keep = plan.keep.map((k) => k.digest);
      assert.equal(new Set([...exp, ...keep]).size, exp.length + keep.length, `${ctx}: disjoint`);
      assert.deepEqual([...exp, ...keep].sort(), images.map((i) => i.digest).sort(), `${ctx}: union is every image`);
      for (const e of plan.expire) {
        const tags = images.find((i) => i.digest === e.digest)!.tags;
        assert.ok(!tags.some((t) => policy.bulwarkProtectedTags.some((p) => matchTagPattern(p, t))), `${ctx}: protected image expired`);
        assert.ok(policy.rules.some((x) => x.rulePriority === e.rulePriority), `${ctx}: unknown rule`);
        assert.match(e.reason, new RegExp(`^rule ${e.rulePriority}: `), ctx);
      }
      for (const k of plan.keep) {
        if (k.protectedBy !== undefined) assert.ok(k.tags.some((t) => matchTagPattern(k.protectedBy!, t)), ctx);
        assert.ok(k.reason.length > 0, ctx);
      }
      assert.deepEqual(new Set(exp), oracle(policy, images), `${ctx}: differs from the oracle`);
      checked++;
      expiredTotal += exp.length;
    }
    assert.ok(expiredTotal > 200, `the generator exercises expiry (${expiredTotal} expired)`);
  });
});

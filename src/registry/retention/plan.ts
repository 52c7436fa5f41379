/**
 * Retention planning: which images of one repository a policy expires, following the ECR "Lifecycle policy
 * evaluation rules" exactly:
 *
 * - Rules are evaluated by rulePriority, lowest first.
 * - An image is expired by exactly one or zero rules.
 * - An image that matches the tagging requirements of a rule cannot be expired by a rule with a lower priority
 *   (a later rule): once a rule has *identified* an image, whether it expired it or kept it, later rules never mark it.
 * - Rules can never mark images that are marked by higher priority rules, but can still identify them as if they
 *   haven't been expired: for imageCountMoreThan, a later rule still counts images earlier rules identified.
 *   (ECR example: prod rule keeps B and expires A; the beta rule ranks A, B, C, would mark A and B, but both were
 *   already seen by the prod rule, so only A is expired.)
 * - tagPatternList / tagPrefixList: an image matches when every listed pattern (prefix) matches one of its tags.
 * - imageCountMoreThan: matched images sorted youngest to oldest by push time; all beyond countNumber are expired.
 * - sinceImagePushed: images pushed more than countNumber days before `now` are expired (exactly N days: kept).
 *
 * Bulwark extension: images carrying a tag matched by `bulwarkProtectedTags` are never expired. They are still
 * identified and counted like any other image (they stay in the repository, so they take a place among the newest
 * N), only they are never marked.
 *
 * Ties in push time are broken by digest (lexicographically smaller digest counts as newer) so plans are stable.
 */
import { findProtection, matchesAllPatterns, matchesAllPrefixes } from './match.js';
import type { LifecycleRule, LifecycleSelection, RetentionPolicy } from './policy.js';

/**
 * One image (manifest) in a repository, with every tag that points at it. `pushedAt` is the registry's push time;
 * where the registry has none (the Distribution API does not expose one) the caller uses the image config's `created`
 * time instead.
 */
export interface RepoImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
}

export interface ExpireEntry {
  digest: string;
  tags: string[];
  pushedAt: Date;
  rulePriority: number;
  reason: string;
}

export interface KeepEntry {
  digest: string;
  tags: string[];
  /** The bulwarkProtectedTags pattern that protects the image, when one does. */
  protectedBy?: string;
  reason: string;
}

export interface RetentionPlan {
  /** Oldest first. */
  expire: ExpireEntry[];
  /** In input order. */
  keep: KeepEntry[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "images tagged release-*", "untagged images", ... (plural noun phrase) */
function selectionPhrase(s: LifecycleSelection, count?: number): string {
  const noun = count === 1 ? 'image' : 'images';
  switch (s.tagStatus) {
    case 'untagged':
      return `untagged ${noun}`;
    case 'any':
      return noun;
    case 'tagged':
      if (s.tagPatternList) return `${noun} tagged ${s.tagPatternList.join(' and ')}`;
      return `${noun} with tags starting with ${(s.tagPrefixList ?? []).map((p) => JSON.stringify(p)).join(' and ')}`;
  }
}

/** "7 days", "7.5 days"; "just over 7 days" when an age above `over` days would otherwise print as 7.0. */
function ageText(ms: number, over?: number): string {
  const days = ms / DAY_MS;
  if (Number.isInteger(days)) return plural(days, 'day');
  const shown = Math.floor(days * 10) / 10;
  if (over !== undefined && shown <= over) return `just over ${plural(over, 'day')}`;
  return `${shown.toFixed(1)} days`;
}

function ruleMatches(s: LifecycleSelection, tags: readonly string[]): boolean {
  switch (s.tagStatus) {
    case 'any':
      return true;
    case 'untagged':
      return tags.length === 0;
    case 'tagged':
      if (s.tagPatternList) return matchesAllPatterns(s.tagPatternList, tags);
      if (s.tagPrefixList) return matchesAllPrefixes(s.tagPrefixList, tags);
      return false;
  }
}

function newestFirst(a: RepoImage, b: RepoImage): number {
  const d = b.pushedAt.getTime() - a.pushedAt.getTime();
  if (d !== 0) return d;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

interface Verdict {
  rule: LifecycleRule;
  reason: string;
}

/** Plan which images `policy` expires at time `now`. Pure: no I/O, inputs not modified. */
export function planRetention(policy: RetentionPolicy, images: readonly RepoImage[], now: Date): RetentionPlan {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('planRetention: now is not a valid date');
  const byDigest = new Set<string>();
  for (const img of images) {
    if (byDigest.has(img.digest)) throw new TypeError(`planRetention: digest ${img.digest} is listed twice; merge its tags`);
    byDigest.add(img.digest);
    if (!(img.pushedAt instanceof Date) || !Number.isFinite(img.pushedAt.getTime())) {
      throw new TypeError(`planRetention: image ${img.digest} has no valid push time`);
    }
  }

  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const identifiedBy = new Map<string, Verdict>(); // first rule that identified the image, with why it was kept
  const expired = new Map<string, Verdict>();
  const wouldExpire = new Map<string, Verdict>(); // protected or already-identified images a rule would have marked
  const protection = new Map<string, { pattern: string; tag: string }>();
  for (const img of images) {
    const p = findProtection(policy.bulwarkProtectedTags, img.tags);
    if (p) protection.set(img.digest, p);
  }

  for (const rule of rules) {
    const s = rule.selection;
    const matched = images.filter((img) => ruleMatches(s, img.tags));
    const marks = new Map<string, string>(); // digest -> expire reason
    const keeps = new Map<string, string>(); // digest -> keep reason (for newly identified images)
    const head = `rule ${rule.rulePriority}`;
    if (s.countType === 'imageCountMoreThan') {
      const ordered = [...matched].sort(newestFirst);
      ordered.forEach((img, i) => {
        if (i >= s.countNumber) {
          marks.set(img.digest, `${head}: more than ${s.countNumber} ${selectionPhrase(s, s.countNumber)}; this is the ${ordinal(i + 1)} newest`);
        } else {
          keeps.set(img.digest, `${head}: the ${i === 0 ? 'newest' : `${ordinal(i + 1)} newest`} of the ${selectionPhrase(s)}, which keeps the ${s.countNumber} newest`);
        }
      });
    } else {
      const limitMs = s.countNumber * DAY_MS;
      for (const img of matched) {
        const age = nowMs - img.pushedAt.getTime();
        if (age > limitMs) {
          marks.set(img.digest, `${head}: ${selectionPhrase(s)} pushed more than ${plural(s.countNumber, 'day')} ago expire; this one was pushed ${ageText(age, s.countNumber)} ago`);
        } else {
          keeps.set(img.digest, `${head}: pushed ${age < 0 ? 'in the future' : `${ageText(age)} ago`}, not more than ${plural(s.countNumber, 'day')}`);
        }
      }
    }
    for (const img of matched) {
      const mark = marks.get(img.digest);
      const earlier = identifiedBy.get(img.digest);
      if (earlier) {
        if (mark && !expired.has(img.digest) && !wouldExpire.has(img.digest)) {
          wouldExpire.set(img.digest, { rule, reason: `${mark}, but rule ${earlier.rule.rulePriority} matched it first` });
        }
        continue;
      }
      if (mark) {
        if (protection.has(img.digest)) wouldExpire.set(img.digest, { rule, reason: mark });
        else expired.set(img.digest, { rule, reason: mark });
      }
      identifiedBy.set(img.digest, { rule, reason: mark ?? keeps.get(img.digest) ?? head });
    }
  }

  const plan: RetentionPlan = { expire: [], keep: [] };
  for (const img of images) {
    const e = expired.get(img.digest);
    if (e) {
      plan.expire.push({ digest: img.digest, tags: [...img.tags], pushedAt: img.pushedAt, rulePriority: e.rule.rulePriority, reason: e.reason });
      continue;
    }
    const prot = protection.get(img.digest);
    const would = wouldExpire.get(img.digest);
    const first = identifiedBy.get(img.digest);
    let reason: string;
    if (prot) {
      reason = `protected: tag ${prot.tag} matches bulwarkProtectedTags ${JSON.stringify(prot.pattern)}`;
      if (would) reason += ` (${would.reason})`;
      plan.keep.push({ digest: img.digest, tags: [...img.tags], protectedBy: prot.pattern, reason });
      continue;
    }
    if (first) {
      reason = first.reason;
      if (would) reason += `; ${would.reason}`;
    } else {
      reason = 'no rule selects it';
    }
    plan.keep.push({ digest: img.digest, tags: [...img.tags], reason });
  }
  plan.expire.sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return plan;
}

/**
 * Tag matching as Amazon ECR lifecycle policies do it.
 *
 * - tagPatternList: each pattern is a whole-tag match in which `*` stands for any run of characters (also empty);
 *   every other character is literal and the match is case-sensitive. ECR allows at most four `*` per pattern.
 * - tagPrefixList: each prefix is a plain `startsWith`.
 * - With several patterns (or prefixes) in one rule, ECR selects an image only when *every* pattern (prefix) matches
 *   at least one of the image's tags (ECR user guide, "Lifecycle policy evaluation rules": "an image is successfully
 *   matched if all of the tags in the tagPatternList or tagPrefixList value are matched against any of the image's
 *   tags").
 */

/** ECR's limit on wildcards per tagPatternList entry. */
export const MAX_WILDCARDS = 4;

export function countWildcards(pattern: string): number {
  let n = 0;
  for (const ch of pattern) if (ch === '*') n++;
  return n;
}

/**
 * True when `tag` matches the ECR wildcard `pattern` (`*` = any run of characters, case-sensitive, whole tag).
 * Linear-time glob (no regular expressions, so no catastrophic backtracking on hostile patterns).
 */
export function matchTagPattern(pattern: string, tag: string): boolean {
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < tag.length) {
    if (pi < pattern.length && pattern[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (pi < pattern.length && pattern[pi] === tag[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < pattern.length && pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/** Every pattern matches at least one of the tags (ECR tagPatternList semantics). */
export function matchesAllPatterns(patterns: readonly string[], tags: readonly string[]): boolean {
  return tags.length > 0 && patterns.every((p) => tags.some((t) => matchTagPattern(p, t)));
}

/** Every prefix starts at least one of the tags (ECR tagPrefixList semantics). */
export function matchesAllPrefixes(prefixes: readonly string[], tags: readonly string[]): boolean {
  return tags.length > 0 && prefixes.every((p) => tags.some((t) => t.startsWith(p)));
}

/** The first protected pattern that one of the tags matches, with that tag; undefined when none does. */
export function findProtection(
  protectedPatterns: readonly string[],
  tags: readonly string[],
): { pattern: string; tag: string } | undefined {
  for (const pattern of protectedPatterns) {
    for (const tag of tags) if (matchTagPattern(pattern, tag)) return { pattern, tag };
  }
  return undefined;
}

/**
 * Python versions: PEP 440 as Python's `packaging.version.Version` parses and orders them (the
 * implementation pip uses): epoch, release, pre (a/b/rc and their spellings), post, dev and local
 * segments; trailing zeros of the release ignored ("1.0" == "1.0.0"); case and surrounding whitespace
 * ignored.
 *
 * Hand-written rather than @renovatebot/pep440 because that package disagrees with `packaging` on the
 * differential test: it rejects surrounding whitespace and turns numbers into doubles, so
 * "99999999999999999999" equals "99999999999999999998". Numbers here are BigInts.
 *
 * Non-ASCII characters other than surrounding whitespace are rejected (Python's case-insensitive regex
 * would accept, say, "1.0.poſt1" with a long s).
 */
import { defineScheme, parsed, rejected, type ParseResult } from '../define.js';

type LocalPart = bigint | string;

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre: [string, bigint] | undefined;
  post: bigint | undefined;
  dev: bigint | undefined;
  local: LocalPart[] | undefined;
}

// packaging.version.VERSION_PATTERN, group for group.
const VERSION = new RegExp(
  '^v?' +
    '(?:' +
    '(?:([0-9]+)!)?' + // 1 epoch
    '([0-9]+(?:\\.[0-9]+)*)' + // 2 release
    '([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?' + // 3 pre, 4 pre_l, 5 pre_n
    '((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?' + // 6 post, 7 post_n1, 8 post_l, 9 post_n2
    '([-_.]?(dev)[-_.]?([0-9]+)?)?' + // 10 dev, 11 dev_l, 12 dev_n
    ')' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // 13 local
    '$',
  'i',
);

/**
 * Python's str.isspace() characters, which `\s` trims around packaging's pattern: JavaScript's `\s`
 * less U+FEFF, plus U+001C-U+001F and U+0085.
 */
const PY_SPACE_CLASS = '[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_SPACE = new RegExp(`^${PY_SPACE_CLASS}+|${PY_SPACE_CLASS}+$`, 'g');

const PRE_LETTER: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' };

export function parsePep440Version(input: string): ParseResult<Pep440Version> {
  const text = input.replace(PY_SPACE, '');
  if (/[^\x00-\x7f]/.test(text)) return rejected('contains a non-ASCII character');
  const m = VERSION.exec(text);
  if (!m) return rejected('not a PEP 440 version');
  const num = (s: string | undefined): bigint => (s === undefined ? 0n : BigInt(s));
  return parsed({
    epoch: num(m[1]),
    release: m[2]!.split('.').map((s) => BigInt(s)),
    pre: m[4] === undefined ? undefined : [PRE_LETTER[m[4].toLowerCase()]!, num(m[5])],
    post: m[6] === undefined ? undefined : num(m[7] ?? m[9]),
    dev: m[11] === undefined ? undefined : num(m[12]),
    local:
      m[13] === undefined
        ? undefined
        : m[13]
            .toLowerCase()
            .split(/[-_.]/)
            .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part)),
  });
}

/** Infinity-aware slot of packaging's _cmpkey: -1 below every value, +1 above, 0 when a value is present. */
type Slot<T> = { rank: -1 | 0 | 1; value?: T };

const cmp = <T extends bigint | string>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

function compareSlots<T>(a: Slot<T>, b: Slot<T>, byValue: (x: T, y: T) => number): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.rank === 0 ? byValue(a.value!, b.value!) : 0;
}

function compareTuples<T>(a: T[], b: T[], byItem: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const r = byItem(a[i]!, b[i]!);
    if (r) return r;
  }
  return a.length - b.length;
}

/** Local segments: numbers above strings, numbers numerically, strings lexically. */
function compareLocalParts(a: LocalPart, b: LocalPart): number {
  const aNum = typeof a === 'bigint';
  const bNum = typeof b === 'bigint';
  if (aNum !== bNum) return aNum ? 1 : -1;
  return cmp(a, b);
}

function withoutTrailingZeros(release: bigint[]): bigint[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0n) end--;
  return release.slice(0, end);
}

export function comparePep440Versions(a: Pep440Version, b: Pep440Version): number {
  const byEpoch = cmp(a.epoch, b.epoch);
  if (byEpoch) return byEpoch;
  const byRelease = compareTuples(withoutTrailingZeros(a.release), withoutTrailingZeros(b.release), cmp);
  if (byRelease) return byRelease;
  // 1.0.dev0 sorts before 1.0a0: a dev release without pre or post counts as the lowest pre-release.
  const preSlot = (v: Pep440Version): Slot<[string, bigint]> =>
    v.pre === undefined && v.post === undefined && v.dev !== undefined
      ? { rank: -1 }
      : v.pre === undefined
        ? { rank: 1 }
        : { rank: 0, value: v.pre };
  const byPre = compareSlots(preSlot(a), preSlot(b), (x, y) => cmp(x[0], y[0]) || cmp(x[1], y[1]));
  if (byPre) return byPre;
  const postSlot = (v: Pep440Version): Slot<bigint> => (v.post === undefined ? { rank: -1 } : { rank: 0, value: v.post });
  const byPost = compareSlots(postSlot(a), postSlot(b), cmp);
  if (byPost) return byPost;
  const devSlot = (v: Pep440Version): Slot<bigint> => (v.dev === undefined ? { rank: 1 } : { rank: 0, value: v.dev });
  const byDev = compareSlots(devSlot(a), devSlot(b), cmp);
  if (byDev) return byDev;
  const localSlot = (v: Pep440Version): Slot<LocalPart[]> => (v.local === undefined ? { rank: -1 } : { rank: 0, value: v.local });
  return compareSlots(localSlot(a), localSlot(b), (x, y) => compareTuples(x, y, compareLocalParts));
}

export const pep440Scheme = defineScheme<Pep440Version>({
  id: 'pep440',
  displayName: 'Python (PEP 440)',
  urls: ['https://peps.python.org/pep-0440/', 'https://packaging.python.org/en/latest/specifications/version-specifiers/'],
  parse: parsePep440Version,
  compareParsed: comparePep440Versions,
});

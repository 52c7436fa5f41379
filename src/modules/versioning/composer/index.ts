/**
 * Composer (Packagist) versions: normalised by composer/semver's VersionParser::normalize() to four
 * numbers plus a stability ("v1.2" -> "1.2.0.0", "1.0-b2" -> "1.0.0.0-beta2", "2.1.x-dev" ->
 * "2.1.9999999.9999999-dev", build metadata dropped), then ordered with PHP's version_compare(), as
 * Composer\Semver\Comparator does: dev < alpha = a < beta = b < RC < (number / stable) < patch = pl = p.
 *
 * Hand-written because there is no maintained npm port of Composer's parser; this ports normalize()
 * and normalizeBranch() (composer/semver 3.x) and php_version_compare() (ext/standard/versioning.c).
 *
 * Validity: what normalize() accepts, except branch names ("dev-main", "master"): Composer never
 * orders a branch against a version, so here such a version is unparseable and matching fails closed.
 */
import { compareDigitStrings, defineScheme, parsed, rejected, type ParseResult } from '../define.js';

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE_BASED = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;
/** PHP's trim() characters. */
const PHP_TRIM = /^[ \t\n\r\0\x0b]+|[ \t\n\r\0\x0b]+$/g;

function expandStability(stability: string): string {
  const s = stability.toLowerCase();
  switch (s) {
    case 'a':
      return 'alpha';
    case 'b':
      return 'beta';
    case 'p':
    case 'pl':
      return 'patch';
    case 'rc':
      return 'RC';
    default:
      return s;
  }
}

/** VersionParser::normalizeBranch(): numeric branches become 9999999-padded dev versions. */
function normalizeBranch(name: string): string {
  const trimmed = name.replace(PHP_TRIM, '');
  const m = BRANCH.exec(trimmed);
  if (!m) return `dev-${trimmed}`;
  let version = '';
  for (let i = 1; i < 5; i++) version += m[i] !== undefined ? m[i]!.replace(/[*X]/g, 'x') : '.x';
  return `${version.replaceAll('x', '9999999')}-dev`;
}

/** VersionParser::normalize(); undefined where it would throw. Branch names come back as "dev-NAME". */
export function normalizeComposerVersion(input: string): string | undefined {
  let version = input.replace(PHP_TRIM, '');
  // PCRE without /u reads bytes; only printable ASCII is handled here, anything else fails closed.
  if (!/^[\x20-\x7e]*$/.test(version)) return undefined;
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(version);
  if (alias) version = alias[1]!;
  const flag = /@(?:stable|RC|beta|alpha|dev)$/i.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.toLowerCase().startsWith('dev-')) return `dev-${version.slice(4)}`;
  const build = /^([^,\s+]+)\+[^\s]+$/.exec(version);
  if (build) version = build[1]!;

  let m = CLASSICAL.exec(version);
  let index: number;
  if (m) {
    version = m[1]! + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0');
    index = 5;
  } else {
    m = DATE_BASED.exec(version);
    if (m) {
      version = m[1]!.replace(/\D/g, '.');
      index = 2;
    } else {
      const dev = /^(.*?)[.-]?dev$/i.exec(version);
      if (dev) {
        const normalized = normalizeBranch(dev[1]!);
        if (!normalized.includes('dev-')) return normalized;
      }
      return undefined;
    }
  }
  const stability = m[index];
  if (stability) {
    if (stability === 'stable') return version;
    const number = m[index + 1];
    version += `-${expandStability(stability)}${number ? number.replace(/^[.-]+/, '') : ''}`;
  }
  if (m[index + 2]) version += '-dev';
  return version;
}

// --- PHP's version_compare() -------------------------------------------------------------------------

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const isSpecialVer = (c: string): boolean => c === '-' || c === '_' || c === '+';

/** php_canonicalize_version(): "-", "_", "+" and other punctuation to ".", a "." between digits and letters. */
function canonicalize(version: string): string {
  if (version === '') return '';
  let out = version[0]!;
  let lp = version[0]!;
  for (let i = 1; i < version.length; i++) {
    const p = version[i]!;
    const lq = out[out.length - 1];
    const dig = (x: string): boolean => isDigit(x) && x !== '.';
    const ndig = (x: string): boolean => !isDigit(x) && x !== '.';
    if (isSpecialVer(p)) {
      if (lq !== '.') out += '.';
    } else if ((ndig(lp) && dig(p)) || (dig(lp) && ndig(p))) {
      if (lq !== '.') out += '.';
      out += p;
    } else if (!isAlnum(p)) {
      if (lq !== '.') out += '.';
    } else {
      out += p;
    }
    lp = p;
  }
  return out;
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialFormOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order;
  return -1;
}

const compareSpecialForms = (a: string, b: string): number => Math.sign(specialFormOrder(a) - specialFormOrder(b));

const LONG_MAX = '9223372036854775807';

/** strtol() of a digit run, saturating at LONG_MAX as C does. */
function strtolDigits(segment: string): string {
  const digits = /^[0-9]*/.exec(segment)![0];
  return compareDigitStrings(digits, LONG_MAX) > 0 ? LONG_MAX : digits;
}

/** php_version_compare(). */
export function phpVersionCompare(orig1: string, orig2: string): number {
  if (orig1 === '' || orig2 === '') {
    if (orig1 === '' && orig2 === '') return 0;
    return orig1 !== '' ? 1 : -1;
  }
  const v1 = orig1[0] === '#' ? orig1 : canonicalize(orig1);
  const v2 = orig2[0] === '#' ? orig2 : canonicalize(orig2);
  let p1 = 0;
  let p2 = 0;
  let n1: number | null = 0;
  let n2: number | null = 0;
  let compare = 0;
  while (p1 < v1.length && p2 < v2.length && n1 !== null && n2 !== null) {
    const d1 = v1.indexOf('.', p1);
    const d2 = v2.indexOf('.', p2);
    n1 = d1 < 0 ? null : d1;
    n2 = d2 < 0 ? null : d2;
    const s1 = v1.slice(p1, n1 ?? v1.length);
    const s2 = v2.slice(p2, n2 ?? v2.length);
    if (isDigit(s1[0]) && isDigit(s2[0])) compare = compareDigitStrings(strtolDigits(s1), strtolDigits(s2));
    else if (!isDigit(s1[0]) && !isDigit(s2[0])) compare = compareSpecialForms(s1, s2);
    else if (isDigit(s1[0])) compare = compareSpecialForms('#N#', s2);
    else compare = compareSpecialForms(s1, '#N#');
    if (compare !== 0) break;
    if (n1 !== null) p1 = n1 + 1;
    if (n2 !== null) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 !== null) compare = isDigit(v1[p1]) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
    else if (n2 !== null) compare = isDigit(v2[p2]) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
  }
  return compare;
}

export function parseComposerVersion(input: string): ParseResult<string> {
  const normalized = normalizeComposerVersion(input);
  if (normalized === undefined) return rejected('not a version Composer can normalise');
  if (normalized.startsWith('dev-')) return rejected('a branch name, which Composer does not order against versions');
  return parsed(normalized);
}

export const composerScheme = defineScheme<string>({
  id: 'composer',
  displayName: 'Composer (Packagist)',
  urls: ['https://getcomposer.org/doc/articles/versions.md', 'https://github.com/composer/semver/blob/main/src/VersionParser.php'],
  parse: parseComposerVersion,
  compareParsed: phpVersionCompare,
});

/**
 * RPM versions: [epoch:]version[-release], ordered by rpm's rpmvercmp() with the modern `~` (sorts
 * before anything, even the end) and `^` (sorts after the end, before anything else) separators.
 *
 * Hand-written because no maintained npm package follows rpm 4.18 exactly; this ports parseEVR() and
 * rpmverCmp() (rpmio/rpmver.c) and rpmvercmp() (rpmio/rpmvercmp.c), and is checked against rpm's own
 * rpm.vercmp() by test/versioning/rpm.differential.test.ts.
 *
 * As in rpmverCmp() (compare_values()), a missing epoch is "0" and a missing release sorts before any
 * release: "1.0" < "1.0-1".
 *
 * Validity: rpm.vercmp() orders any non-empty string, so this follows what rpmbuild lets into a package
 * instead: an optional all-digit epoch, then version and release made of letters, digits and `._+~^`
 * (rpmbuild's allowed set without the macro characters `%{}`), neither empty.
 */
import { compareDigitStrings, defineScheme, isAsciiAlpha, isAsciiDigit, parsed, rejected, type ParseResult } from '../define.js';

export interface RpmVersion {
  /** Digits as written ("" when absent, which compares as "0"). */
  epoch: string;
  version: string;
  release: string | undefined;
}

const EVR = /^(?:([0-9]*):)?([A-Za-z0-9._+~^]+)(?:-([A-Za-z0-9._+~^]+))?$/;

export function parseRpmVersion(input: string): ParseResult<RpmVersion> {
  const m = EVR.exec(input);
  if (!m) {
    if (input === '') return rejected('empty');
    return rejected('not [epoch:]version[-release] with an all-digit epoch and letters, digits and ._+~^ elsewhere');
  }
  if (m[1] === '') return rejected('empty epoch before ":"');
  return parsed({ epoch: m[1] ?? '', version: m[2]!, release: m[3] });
}

const isAlnum = (c: number): boolean => isAsciiDigit(c) || isAsciiAlpha(c);
const TILDE = 0x7e;
const CARET = 0x5e;

/** rpmvercmp(): segment-wise; a position past the end reads as NUL (0). */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
  let one = 0;
  let two = 0;
  while (one < a.length || two < b.length) {
    while (one < a.length && !isAlnum(at(a, one)) && at(a, one) !== TILDE && at(a, one) !== CARET) one++;
    while (two < b.length && !isAlnum(at(b, two)) && at(b, two) !== TILDE && at(b, two) !== CARET) two++;

    if (at(a, one) === TILDE || at(b, two) === TILDE) {
      if (at(a, one) !== TILDE) return 1;
      if (at(b, two) !== TILDE) return -1;
      one++;
      two++;
      continue;
    }
    if (at(a, one) === CARET || at(b, two) === CARET) {
      if (one >= a.length) return -1;
      if (two >= b.length) return 1;
      if (at(a, one) !== CARET) return 1;
      if (at(b, two) !== CARET) return -1;
      one++;
      two++;
      continue;
    }
    if (!(one < a.length && two < b.length)) break;

    let end1 = one;
    let end2 = two;
    const isNum = isAsciiDigit(at(a, one));
    const inSegment = isNum ? isAsciiDigit : isAsciiAlpha;
    while (end1 < a.length && inSegment(at(a, end1))) end1++;
    while (end2 < b.length && inSegment(at(b, end2))) end2++;
    // Segments of different kinds: a number is newer than letters.
    if (end2 === two) return isNum ? 1 : -1;

    const seg1 = a.slice(one, end1);
    const seg2 = b.slice(two, end2);
    const rc = isNum ? compareDigitStrings(seg1, seg2) : seg1 < seg2 ? -1 : seg1 > seg2 ? 1 : 0;
    if (rc) return rc;
    one = end1;
    two = end2;
  }
  if (one >= a.length && two >= b.length) return 0;
  return one >= a.length ? -1 : 1;
}

export function compareRpmVersions(a: RpmVersion, b: RpmVersion): number {
  const byEpoch = rpmvercmp(a.epoch || '0', b.epoch || '0');
  if (byEpoch) return byEpoch;
  const byVersion = rpmvercmp(a.version, b.version);
  if (byVersion) return byVersion;
  if (a.release === undefined || b.release === undefined) {
    return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const rpmScheme = defineScheme<RpmVersion>({
  id: 'rpm',
  displayName: 'RPM',
  urls: [
    'https://github.com/rpm-software-management/rpm/blob/master/rpmio/rpmvercmp.c',
    'https://rpm-software-management.github.io/rpm/manual/spec.html#version',
  ],
  parse: parseRpmVersion,
  compareParsed: compareRpmVersions,
});

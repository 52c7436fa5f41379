/**
 * Debian versions: [epoch:]upstream[-revision], ordered as deb-version(5) and Debian Policy 5.6.12 say.
 *
 * Hand-written because no maintained npm package implements dpkg's ordering exactly; this is a port of
 * dpkg 1.21's parseversion() (lib/dpkg/parsehelp.c) and verrevcmp() (lib/dpkg/version.c), checked
 * against libdpkg itself by test/versioning/dpkg.differential.test.ts.
 *
 * Validity: what parseversion() accepts without error or warning. dpkg --compare-versions still orders
 * a version it only warns about (say "a1.0", upstream not starting with a digit); here that version is
 * unparseable, so a match against it fails closed.
 */
import { compareDigitStrings, defineScheme, isAsciiAlpha, isAsciiDigit, parsed, rejected, type ParseResult } from '../define.js';

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const INT_MAX = 2147483647;

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
/** C isspace() in the C locale: what strtol() skips. */
const isCSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');

export function parseDpkgVersion(input: string): ParseResult<DpkgVersion> {
  if (input.includes('\0')) return rejected('contains a NUL byte');
  let start = 0;
  while (start < input.length && isBlank(input[start]!)) start++;
  if (start === input.length) return rejected('version string is empty');
  let end = start;
  while (end < input.length && !isBlank(input[end]!)) end++;
  for (let i = end; i < input.length; i++) {
    if (!isBlank(input[i]!)) return rejected('version string has embedded spaces');
  }
  const text = input.slice(start, end);

  let epoch = 0;
  let rest = text;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const e = strtolEpoch(text);
    if (e.digitsEnd === -1) return rejected('epoch in version is empty');
    if (e.digitsEnd !== colon) return rejected('epoch in version is not number');
    if (e.negative && e.value !== 0) return rejected('epoch in version is negative');
    if (e.value > INT_MAX) return rejected('epoch in version is too big');
    if (colon === text.length - 1) return rejected('nothing after colon in version number');
    epoch = e.value;
    rest = text.slice(colon + 1);
  }

  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') return rejected('revision number is empty');
  }
  if (upstream === '') return rejected('version number is empty');
  if (!isAsciiDigit(upstream.charCodeAt(0))) return rejected('version number does not start with digit');
  for (let i = 1; i < upstream.length; i++) {
    const c = upstream.charCodeAt(i);
    if (!isAsciiDigit(c) && !isAsciiAlpha(c) && !'.-+~:'.includes(upstream[i]!)) {
      return rejected('invalid character in version number');
    }
  }
  for (let i = 0; i < revision.length; i++) {
    const c = revision.charCodeAt(i);
    if (!isAsciiDigit(c) && !isAsciiAlpha(c) && !'.+~'.includes(revision[i]!)) {
      return rejected('invalid character in revision number');
    }
  }
  return parsed({ epoch, upstream, revision });
}

/** strtol(s, &end, 10) as parseversion() uses it: digitsEnd is -1 when no digits were converted. */
function strtolEpoch(s: string): { value: number; negative: boolean; digitsEnd: number } {
  let i = 0;
  while (i < s.length && isCSpace(s[i]!)) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const digitsStart = i;
  while (i < s.length && isAsciiDigit(s.charCodeAt(i))) i++;
  if (i === digitsStart) return { value: 0, negative, digitsEnd: -1 };
  const digits = s.slice(digitsStart, i);
  const value = compareDigitStrings(digits, String(INT_MAX)) > 0 ? INT_MAX + 1 : Number(digits);
  return { value, negative, digitsEnd: i };
}

/** dpkg's order(): digits 0, letters their code, '~' before everything (even the end), others after letters. */
function order(code: number): number {
  if (isAsciiDigit(code)) return 0;
  if (isAsciiAlpha(code)) return code;
  if (code === 0x7e) return -1;
  if (code) return code + 256;
  return 0;
}

/** dpkg's verrevcmp(): alternating non-digit and digit runs; a missing character reads as NUL (0). */
export function verrevcmp(a: string, b: string): number {
  const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isAsciiDigit(at(a, i))) || (j < b.length && !isAsciiDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 0x30) i++;
    while (at(b, j) === 0x30) j++;
    while (isAsciiDigit(at(a, i)) && isAsciiDigit(at(b, j))) {
      if (!firstDiff) firstDiff = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isAsciiDigit(at(a, i))) return 1;
    if (isAsciiDigit(at(b, j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const dpkgScheme = defineScheme<DpkgVersion>({
  id: 'dpkg',
  displayName: 'Debian (dpkg)',
  urls: [
    'https://manpages.debian.org/bookworm/dpkg-dev/deb-version.7.en.html',
    'https://www.debian.org/doc/debian-policy/ch-controlfields.html#version',
  ],
  parse: parseDpkgVersion,
  compareParsed: compareDpkgVersions,
});

/**
 * Alpine (apk) versions: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}, e.g. "1.2.3_rc1-r0".
 *
 * Hand-written because no maintained npm package implements apk-tools' ordering; this ports the token
 * machine of apk-tools' src/version.c (apk_version_validate / apk_version_compare, the 2.14+ rewrite
 * with `~hash` commit suffixes). Debian has no apk-tools package, so there is no differential test:
 * the contract vectors are the check.
 *
 * Rules worth knowing: a component with a leading zero ("1.01") is compared as a string against the
 * other side's component; _alpha < _beta < _pre < _rc < (nothing) < _cvs < _svn < _git < _hg < _p;
 * numbers are unsigned 64-bit and wrap like apk's.
 */
import { defineScheme, parsed, rejected, type ParseResult } from '../define.js';

const enum Tok {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
  Invalid,
}

const enum Suffix {
  Invalid,
  Alpha,
  Beta,
  Pre,
  Rc,
  None,
  Cvs,
  Svn,
  Git,
  Hg,
  P,
}

const SUFFIXES: Record<string, Suffix> = {
  alpha: Suffix.Alpha,
  beta: Suffix.Beta,
  pre: Suffix.Pre,
  rc: Suffix.Rc,
  cvs: Suffix.Cvs,
  svn: Suffix.Svn,
  git: Suffix.Git,
  hg: Suffix.Hg,
  p: Suffix.P,
};

interface Token {
  tok: Tok;
  suffix: Suffix;
  number: bigint;
  value: string;
}

export type ApkVersion = Token[];

const U64 = (1n << 64n) - 1n;

export function tokenizeApkVersion(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let state = Tok.InitialDigit;
  const push = (tok: Tok, value = '', number = 0n, suffix = Suffix.Invalid): void => {
    state = tok;
    tokens.push({ tok, suffix, number, value });
  };
  const digits = (tok: Tok): void => {
    const start = pos;
    let n = 0n;
    while (pos < input.length && input[pos]! >= '0' && input[pos]! <= '9') {
      n = (n * 10n + BigInt(input.charCodeAt(pos) - 0x30)) & U64;
      pos++;
    }
    if (pos === start) push(Tok.Invalid);
    else push(tok, input.slice(start, pos), n);
  };

  digits(Tok.InitialDigit);
  while (state < Tok.End) {
    if (pos >= input.length) {
      push(Tok.End);
      break;
    }
    const c = input[pos]!;
    if (c >= 'a' && c <= 'z') {
      if (state > Tok.Digit) push(Tok.Invalid);
      else {
        push(Tok.Letter, c);
        pos++;
      }
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (state > Tok.Digit) {
          push(Tok.Invalid);
          continue;
        }
        pos++;
      }
      if (state === Tok.InitialDigit || state === Tok.Digit) digits(Tok.Digit);
      else if (state === Tok.Suffix) digits(Tok.SuffixNo);
      else push(Tok.Invalid);
    } else if (c === '_') {
      if (state > Tok.SuffixNo) {
        push(Tok.Invalid);
        continue;
      }
      pos++;
      const start = pos;
      while (pos < input.length && input[pos]! >= 'a' && input[pos]! <= 'z') pos++;
      const name = input.slice(start, pos);
      const suffix = Object.hasOwn(SUFFIXES, name) ? SUFFIXES[name]! : Suffix.Invalid;
      if (suffix === Suffix.Invalid) push(Tok.Invalid);
      else push(Tok.Suffix, name, 0n, suffix);
    } else if (c === '~') {
      if (state >= Tok.CommitHash) {
        push(Tok.Invalid);
        continue;
      }
      pos++;
      const start = pos;
      while (pos < input.length && /[0-9a-f]/.test(input[pos]!)) pos++;
      if (pos === start) push(Tok.Invalid);
      else push(Tok.CommitHash, input.slice(start, pos));
    } else if (c === '-') {
      if (state >= Tok.RevisionNo || input[pos + 1] !== 'r') {
        push(Tok.Invalid);
        continue;
      }
      pos += 2;
      digits(Tok.RevisionNo);
    } else {
      push(Tok.Invalid);
    }
  }
  return tokens;
}

export function parseApkVersion(input: string): ParseResult<ApkVersion> {
  const tokens = tokenizeApkVersion(input);
  if (tokens[tokens.length - 1]!.tok !== Tok.End) return rejected(input === '' ? 'empty' : 'not digit{.digit}{letter}{_suffix{N}}{~hash}{-rN}');
  return parsed(tokens);
}

/** apk_blob_sort(): memcmp over the common length, then the shorter first. */
function blobSort(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d) return d;
  }
  return a.length - b.length;
}

function tokenCompare(a: Token, b: Token): number {
  switch (a.tok) {
    case Tok.Digit:
      // A component with a leading zero is compared as a string, as Gentoo does.
      if (a.value[0] === '0' || b.value[0] === '0') return blobSort(a.value, b.value);
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    case Tok.InitialDigit:
    case Tok.SuffixNo:
    case Tok.RevisionNo:
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    case Tok.Letter:
      return a.value.charCodeAt(0) - b.value.charCodeAt(0);
    case Tok.Suffix:
      return a.suffix - b.suffix;
    default:
      return blobSort(a.value, b.value);
  }
}

export function compareApkVersions(a: ApkVersion, b: ApkVersion): number {
  let i = 0;
  while (a[i]!.tok === b[i]!.tok && a[i]!.tok < Tok.End) {
    const r = tokenCompare(a[i]!, b[i]!);
    if (r) return r;
    i++;
  }
  const ta = a[i]!;
  const tb = b[i]!;
  if (ta.tok === tb.tok) return 0;
  // The side that goes on is newer, unless what follows is a pre-release suffix.
  if (ta.tok === Tok.Suffix && ta.suffix < Suffix.None) return -1;
  if (tb.tok === Tok.Suffix && tb.suffix < Suffix.None) return 1;
  if (ta.tok > tb.tok) return -1;
  if (tb.tok > ta.tok) return 1;
  return 0;
}

export const apkScheme = defineScheme<ApkVersion>({
  id: 'apk',
  displayName: 'Alpine (apk)',
  urls: [
    'https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/src/version.c',
    'https://wiki.alpinelinux.org/wiki/APKBUILD_Reference#pkgver',
  ],
  parse: parseApkVersion,
  compareParsed: compareApkVersions,
});

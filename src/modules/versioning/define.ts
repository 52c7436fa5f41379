import { UnparseableVersionError } from '../../core/errors.js';
import type { VersionScheme, VersionSchemeId } from './types.js';

/** A scheme parser's answer: the parsed form, or why the string is not a version of that scheme. */
export type ParseResult<P> = { ok: true; value: P } | { ok: false; why: string };

export function parsed<P>(value: P): ParseResult<P> {
  return { ok: true, value };
}

export function rejected(why: string): ParseResult<never> {
  return { ok: false, why };
}

/**
 * No real version comes near this; a longer string is rejected before any parser sees it, so a
 * hostile package database cannot make matching slow.
 */
export const MAX_VERSION_LENGTH = 1024;

const PARSE_CACHE_SIZE = 20_000;

export interface SchemeDefinition<P> {
  id: VersionSchemeId;
  displayName: string;
  urls: string[];
  parse(version: string): ParseResult<P>;
  /** Orders two parsed versions: negative, zero or positive. */
  compareParsed(a: P, b: P): number;
}

/**
 * Builds the public VersionScheme from a parser and a comparator: isValid is "the parser accepts it",
 * and compare parses both sides first, so an unparseable version always throws UnparseableVersionError
 * (the caller then reports "possibly affected") instead of being ordered by accident.
 */
export function defineScheme<P>(def: SchemeDefinition<P>): VersionScheme {
  const tryParse = (version: unknown): ParseResult<P> => {
    if (typeof version !== 'string') return rejected('not a string');
    if (version.length > MAX_VERSION_LENGTH) return rejected(`longer than ${MAX_VERSION_LENGTH} characters`);
    return def.parse(version);
  };
  // Matching compares the same installed and range versions many times; parsing dominates otherwise.
  const cache = new Map<string, ParseResult<P>>();
  const cachedParse = (version: string): ParseResult<P> => {
    let result = cache.get(version);
    if (!result) {
      result = tryParse(version);
      if (cache.size >= PARSE_CACHE_SIZE) cache.clear();
      cache.set(version, result);
    }
    return result;
  };
  const parseOrThrow = (version: string): P => {
    const result = cachedParse(version);
    if (!result.ok) throw new UnparseableVersionError(def.id, String(version), result.why);
    return result.value;
  };
  return Object.freeze({
    id: def.id,
    displayName: def.displayName,
    urls: Object.freeze([...def.urls]) as string[],
    isValid: (version: string): boolean => (typeof version === 'string' ? cachedParse(version).ok : false),
    compare: (a: string, b: string): number => {
      const order = def.compareParsed(parseOrThrow(a), parseOrThrow(b));
      return order < 0 ? -1 : order > 0 ? 1 : 0;
    },
  });
}

/** Sign of a - b for unbounded non-negative integers written in decimal (leading zeros allowed). */
export function compareDigitStrings(a: string, b: string): number {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 0x30) i++;
  return digits.slice(i);
}

/** Byte-wise (C strcmp / Ruby String#<=>) order of two ASCII strings. */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAsciiAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** True when every character is printable ASCII (0x21-0x7e), the alphabet every scheme here uses. */
export function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

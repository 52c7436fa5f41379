/**
 * Maven versions, ordered by Maven 3.9's org.apache.maven.artifact.versioning.ComparableVersion (the
 * "Version Order Specification" of the POM reference): items split on "." and "-" and on digit/letter
 * transitions; numbers compare numerically; qualifiers alpha < beta < milestone < rc = cr < snapshot <
 * "" = ga = final = release < sp < unknown (lexical); "a1", "b1", "m1" mean alpha-1, beta-1, milestone-1;
 * case-insensitive; "1.0" == "1.0.0" == "1".
 *
 * Hand-written because no maintained npm package follows ComparableVersion; this is a port of its
 * parser (ListItem / IntItem / StringItem / CombinationItem, normalize()) and compareTo().
 *
 * Validity: ComparableVersion accepts any string. Here a version must be printable ASCII without
 * whitespace (Java's Unicode-aware isDigit/toLowerCase are not reproduced) and must not be an
 * unresolved property such as "${project.version}"; anything else fails closed.
 */
import { compareDigitStrings, defineScheme, isAsciiDigit, isPrintableAscii, parsed, rejected, type ParseResult } from '../define.js';

type Item = NumberItem | StringItem | CombinationItem | ListItem;

interface NumberItem {
  kind: 'number';
  /** Decimal digits, no leading zeros ("0" for zero). */
  digits: string;
  /**
   * Java's IntItem (0), LongItem (1) or BigIntegerItem (2), chosen by the written length after
   * stripLeadingZeroes() (which leaves an all-zero string as it is). Items of different widths
   * compare by width alone, so "1.0000000000.1" (a LongItem zero) is above "1.0.1", as in Maven.
   */
  width: 0 | 1 | 2;
}

interface StringItem {
  kind: 'string';
  value: string;
}

interface CombinationItem {
  kind: 'combination';
  string: StringItem;
  digit: Item;
}

interface ListItem {
  kind: 'list';
  items: Item[];
}

export type MavenVersion = ListItem;

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = ['ga', 'final', 'release'];
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''));

const ZERO: NumberItem = { kind: 'number', digits: '0', width: 0 };
const MAX_INTITEM_LENGTH = 9;
const MAX_LONGITEM_LENGTH = 18;

function stringItem(value: string, followedByDigit: boolean): StringItem {
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  return { kind: 'string', value: value === 'cr' ? 'rc' : value };
}

function combinationItem(v: string): CombinationItem {
  let index = 0;
  for (let i = 0; i < v.length; i++) {
    if (isAsciiDigit(v.charCodeAt(i))) {
      index = i;
      break;
    }
  }
  return { kind: 'combination', string: stringItem(v.slice(0, index), true), digit: parseItem(false, true, v.slice(index)) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) return combinationItem(buf.replaceAll('-', ''));
  if (isDigit) {
    const stripped = buf === '' ? '0' : /^0+$/.test(buf) ? buf : buf.replace(/^0+/, '');
    const width = stripped.length <= MAX_INTITEM_LENGTH ? 0 : stripped.length <= MAX_LONGITEM_LENGTH ? 1 : 2;
    return { kind: 'number', digits: /^0+$/.test(stripped) ? '0' : stripped, width };
  }
  return stringItem(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.digits === '0';
    case 'string':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNull(items[i]!)) continue;
    const next = items[i + 1];
    if (i === items.length - 1 || next!.kind === 'string') {
      items.splice(i, 1);
    } else if (next!.kind === 'list') {
      const first = next!.items[0]!;
      if (first.kind === 'combination' || first.kind === 'string') items.splice(i, 1);
    }
  }
}

/** ComparableVersion.parseVersion(), line for line. */
export function parseMavenItems(version: string): ListItem {
  const root: ListItem = { kind: 'list', items: [] };
  version = version.toLowerCase();
  let list = root;
  const stack: ListItem[] = [list];
  const openSublist = (): void => {
    const sub: ListItem = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let isDigit = false;
  let isCombination = false;
  let startIndex = 0;

  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.') {
      if (i === startIndex) list.items.push(ZERO);
      else list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      isCombination = false;
      startIndex = i + 1;
    } else if (c === '-') {
      if (i === startIndex) {
        list.items.push(ZERO);
      } else {
        // X-1 is treated as X1
        if (!isDigit && i !== version.length - 1 && isAsciiDigit(version.charCodeAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      }
      startIndex = i + 1;
      if (list.items.length > 0) openSublist();
      isCombination = false;
    } else if (isAsciiDigit(version.charCodeAt(i))) {
      if (!isDigit && i > startIndex) {
        // X1
        isCombination = true;
        if (list.items.length > 0) openSublist();
      }
      isDigit = true;
    } else {
      if (isDigit && i > startIndex) {
        list.items.push(parseItem(isCombination, true, version.slice(startIndex, i)));
        startIndex = i;
        openSublist();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (version.length > startIndex) {
    // 1.0.0.X1 < 1.0.0-X2: a trailing ".X" is treated as "-X"
    if (!isDigit && list.items.length > 0) openSublist();
    list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

function comparableQualifier(qualifier: string): string {
  if (RELEASE_QUALIFIERS.includes(qualifier)) return RELEASE_VERSION_INDEX;
  const i = QUALIFIERS.indexOf(qualifier);
  return i === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(i);
}

/** Java's String.compareTo sign for ASCII strings. */
const javaCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Item.compareTo(other), where other === undefined stands for Java's null (a missing item). */
function compareItem(item: Item, other: Item | undefined): number {
  switch (item.kind) {
    case 'number':
      if (other === undefined) return item.digits === '0' ? 0 : 1;
      if (other.kind !== 'number') return 1;
      return item.width !== other.width ? item.width - other.width : compareDigitStrings(item.digits, other.digits);
    case 'string':
      if (other === undefined) return javaCompare(comparableQualifier(item.value), RELEASE_VERSION_INDEX);
      switch (other.kind) {
        case 'number':
        case 'list':
          return -1;
        case 'string':
          return javaCompare(comparableQualifier(item.value), comparableQualifier(other.value));
        case 'combination': {
          const r = compareItem(item, other.string);
          return r === 0 ? -1 : r;
        }
      }
      break;
    case 'combination':
      if (other === undefined) return compareItem(item.string, undefined);
      switch (other.kind) {
        case 'number':
        case 'list':
          return -1;
        case 'string': {
          const r = compareItem(item.string, other);
          return r === 0 ? 1 : r;
        }
        case 'combination': {
          const r = compareItem(item.string, other.string);
          return r === 0 ? compareItem(item.digit, other.digit) : r;
        }
      }
      break;
    case 'list':
      if (other === undefined) {
        for (const i of item.items) {
          const r = compareItem(i, undefined);
          if (r !== 0) return r;
        }
        return 0;
      }
      switch (other.kind) {
        case 'number':
          return -1;
        case 'string':
        case 'combination':
          return 1;
        case 'list': {
          const n = Math.max(item.items.length, other.items.length);
          for (let i = 0; i < n; i++) {
            const l = item.items[i];
            const r = other.items[i];
            const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, l)) : compareItem(l, r);
            if (result !== 0) return result;
          }
          return 0;
        }
      }
  }
  throw new Error('unreachable');
}

export function parseMavenVersion(input: string): ParseResult<MavenVersion> {
  if (input === '') return rejected('empty');
  if (!isPrintableAscii(input)) return rejected('contains whitespace or a character outside printable ASCII');
  if (input.includes('${')) return rejected('an unresolved property');
  return parsed(parseMavenItems(input));
}

export const mavenScheme = defineScheme<MavenVersion>({
  id: 'maven',
  displayName: 'Maven',
  urls: [
    'https://maven.apache.org/pom.html#version-order-specification',
    'https://github.com/apache/maven/blob/maven-3.9.x/maven-artifact/src/main/java/org/apache/maven/artifact/versioning/ComparableVersion.java',
  ],
  parse: parseMavenVersion,
  compareParsed: (a, b) => compareItem(a, b),
});

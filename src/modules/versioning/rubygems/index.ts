/**
 * RubyGems versions: Gem::Version (rubygems/version.rb). Segments are runs of digits or letters; a
 * letter makes a prerelease ("1.0.a" < "1.0"); "-" means ".pre." ("1.0.0-rc1" = "1.0.0.pre.rc1");
 * trailing zero segments do not count ("1.0" = "1").
 *
 * Hand-written rather than @renovatebot/ruby-semver because that port compares letter segments with
 * localeCompare (Ruby compares bytes: "RC1" < "beta1", the port says the opposite) and numbers as
 * doubles. This follows Gem::Version#<=> and #canonical_segments with BigInt numbers.
 *
 * Validity: Gem::Version.correct?, except that an empty or blank string (which RubyGems reads as "0")
 * is rejected: a gem without a version is not something to match advisories against.
 */
import { compareAscii, defineScheme, parsed, rejected, type ParseResult } from '../define.js';

type Segment = bigint | string;

export type RubyGemsVersion = Segment[];

/** ANCHORED_VERSION_PATTERN, with Ruby's \s ([ \t\r\n\f\v]) spelled out. */
const ANCHORED = /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;

/** canonical_segments: trailing zeros dropped from the numeric part and from the rest, separately. */
function canonicalSegments(version: string): Segment[] {
  const segments: Segment[] = (version.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^[0-9]+$/.test(s) ? BigInt(s) : s));
  const stringStart = segments.findIndex((s) => typeof s === 'string');
  const numeric = stringStart < 0 ? segments : segments.slice(0, stringStart);
  const rest = stringStart < 0 ? [] : segments.slice(stringStart);
  const dropZeros = (list: Segment[]): Segment[] => {
    let end = list.length;
    while (end > 0 && list[end - 1] === 0n) end--;
    return list.slice(0, end);
  };
  return [...dropZeros(numeric), ...dropZeros(rest)];
}

export function parseRubyGemsVersion(input: string): ParseResult<RubyGemsVersion> {
  const m = ANCHORED.exec(input);
  if (!m) return rejected('not a Gem::Version (digits, then dot-separated letters or digits)');
  if (m[1] === undefined) return rejected('empty');
  return parsed(canonicalSegments(m[1].replaceAll('-', '.pre.')));
}

/** Gem::Version#<=> on canonical segments: a missing segment is 0, letters below numbers. */
export function compareRubyGemsVersions(a: RubyGemsVersion, b: RubyGemsVersion): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? 0n;
    const r = b[i] ?? 0n;
    if (l === r) continue;
    const lString = typeof l === 'string';
    const rString = typeof r === 'string';
    if (lString && !rString) return -1;
    if (!lString && rString) return 1;
    return lString ? compareAscii(l, r as string) : (l as bigint) < (r as bigint) ? -1 : 1;
  }
  return 0;
}

export const rubygemsScheme = defineScheme<RubyGemsVersion>({
  id: 'rubygems',
  displayName: 'RubyGems',
  urls: ['https://guides.rubygems.org/patterns/#semantic-versioning', 'https://github.com/rubygems/rubygems/blob/master/lib/rubygems/version.rb'],
  parse: parseRubyGemsVersion,
  compareParsed: compareRubyGemsVersions,
});

/**
 * NuGet versions: NuGetVersion.TryParse() and VersionComparer.Default of NuGet.Versioning. That is
 * SemVer 2.0 widened to one to four numbers ("1" = "1.0" = "1.0.0" = "1.0.0.0", leading zeros allowed),
 * release labels compared case-insensitively (numeric labels numerically and before alphanumeric ones),
 * build metadata ignored.
 *
 * Hand-written because no maintained npm package implements NuGet.Versioning; this ports
 * NuGetVersionFactory.TryParse(), SemanticVersion.ParseSections()/IsValidPart(), System.Version.TryParse()
 * and VersionComparer.Compare().
 *
 * Non-ASCII input is rejected (.NET's Unicode whitespace and culture rules are not reproduced).
 */
import { defineScheme, parsed, rejected, type ParseResult } from '../define.js';

export interface NuGetVersion {
  /** Major, minor, patch, revision. */
  numbers: [number, number, number, number];
  labels: string[] | undefined;
  metadata: string | undefined;
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** SemanticVersion.ParseSections(): version part, release labels, build metadata. */
function parseSections(value: string): [string | undefined, string[] | undefined, string | undefined] {
  let versionString: string | undefined;
  let releaseLabels: string[] | undefined;
  let buildMetadata: string | undefined;
  let dashPos = -1;
  let plusPos = -1;
  for (let i = 0; i < value.length; i++) {
    const end = i === value.length - 1;
    if (dashPos < 0) {
      if (end || value[i] === '-' || value[i] === '+') {
        versionString = value.slice(0, i + (end ? 1 : 0));
        dashPos = i;
        if (value[i] === '+') plusPos = i;
      }
    } else if (plusPos < 0) {
      if (end || value[i] === '+') {
        releaseLabels = value.slice(dashPos + 1, i + (end ? 1 : 0)).split('.');
        plusPos = i;
      }
    } else if (end) {
      buildMetadata = value.slice(plusPos + 1, i + 1);
    }
  }
  return [versionString, releaseLabels, buildMetadata];
}

/** int.TryParse(s, NumberStyles.Integer, InvariantCulture): optional white, sign, digits, white. */
function tryParseInt32(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)[ \t\n\v\f\r]*$/.exec(s);
  if (!m) return undefined;
  const value = Number(m[1] === '-' ? `-${m[2]}` : m[2]);
  if (m[2]!.replace(/^0+/, '').length > 10 || value > INT32_MAX || value < INT32_MIN) return undefined;
  return value === 0 ? 0 : value;
}

/** System.Version.TryParse(): two to four non-negative int32 components. */
function tryParseSystemVersion(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = tryParseInt32(part);
    if (n === undefined || n < 0) return undefined;
    numbers.push(n);
  }
  return numbers;
}

/** SemanticVersion.IsValidPart(): non-empty [0-9A-Za-z-], and no leading zero on an all-digit label. */
function isValidPart(s: string, allowLeadingZeros: boolean): boolean {
  if (s.length === 0) return false;
  if (!allowLeadingZeros && s.length > 1 && s[0] === '0' && /^[0-9]+$/.test(s)) return false;
  return /^[0-9A-Za-z-]+$/.test(s);
}

export function parseNuGetVersion(input: string): ParseResult<NuGetVersion> {
  const value = input.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (!/^[\x20-\x7e]*$/.test(value)) return rejected('contains a character outside printable ASCII');
  const [versionString, labels, metadata] = parseSections(value);
  if (!versionString) return rejected('no version number');
  const numbers = tryParseSystemVersion(versionString.includes('.') ? versionString : `${versionString}.0`);
  if (!numbers) return rejected('not one to four dot-separated numbers of at most 2147483647');
  if (labels && !labels.every((label) => isValidPart(label, false))) {
    return rejected('a release label is empty, holds a character other than [0-9A-Za-z-], or is a number with a leading zero');
  }
  if (metadata !== undefined && !metadata.split('.').every((part) => isValidPart(part, true))) {
    return rejected('build metadata parts must be non-empty [0-9A-Za-z-]');
  }
  return parsed({
    numbers: [numbers[0]!, numbers[1]!, numbers[2] ?? 0, numbers[3] ?? 0],
    labels,
    metadata,
  });
}

/** StringComparer.OrdinalIgnoreCase over ASCII. */
function ordinalIgnoreCase(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** VersionComparer.CompareRelease(): numbers numerically and before words; words case-insensitively. */
function compareRelease(a: string, b: string): number {
  const an = /^[+-]?[0-9]+$/.test(a) ? tryParseInt32(a) : undefined;
  const bn = /^[+-]?[0-9]+$/.test(b) ? tryParseInt32(b) : undefined;
  if (an !== undefined && bn !== undefined) return an - bn;
  if (an !== undefined) return -1;
  if (bn !== undefined) return 1;
  return ordinalIgnoreCase(a, b);
}

export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! - b.numbers[i]!;
  }
  if (a.labels && !b.labels) return -1;
  if (!a.labels && b.labels) return 1;
  if (a.labels && b.labels) {
    const n = Math.max(a.labels.length, b.labels.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.labels.length) return -1;
      if (i >= b.labels.length) return 1;
      const r = compareRelease(a.labels[i]!, b.labels[i]!);
      if (r) return r;
    }
  }
  return 0;
}

export const nugetScheme = defineScheme<NuGetVersion>({
  id: 'nuget',
  displayName: 'NuGet',
  urls: [
    'https://learn.microsoft.com/en-us/nuget/concepts/package-versioning',
    'https://github.com/NuGet/NuGet.Client/tree/dev/src/NuGet.Core/NuGet.Versioning',
  ],
  parse: parseNuGetVersion,
  compareParsed: compareNuGetVersions,
});

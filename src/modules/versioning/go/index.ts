/**
 * Go module versions, ordered as golang.org/x/mod/semver does: "v" + SemVer with the shorthands
 * "v1" = "v1.0.0" and "v1.2" = "v1.2.0", build metadata ("+incompatible") ignored, pseudo-versions
 * ("v0.0.0-20191109021931-daa7c04131f5") being ordinary prereleases.
 *
 * Accepted spellings: with or without the leading "v" (OSV writes "1.2.3", binaries "v1.2.3"), and the
 * toolchain tags of the standard library ("go1.21.3", "go1.21rc2", "go1.20", with an optional trailing
 * " X:boringcrypto"-style suffix), converted as golang.org/x/vuln does (GoTagToSemver):
 * go1.21 -> v1.21.0, go1.21rc2 -> v1.21.0-rc.2, go1.13beta1 -> v1.13.0-beta.1.
 *
 * After that normalisation the `semver` package orders them (same rules as x/mod/semver). Numbers
 * above 2^53-1, which Go accepts and node's semver cannot hold, are rejected.
 */
import semver from 'semver';
import { defineScheme, parsed, rejected, type ParseResult } from '../define.js';
import { hasOversizedNumericIdentifier } from '../semver-limits.js';

/** x/mod/semver's grammar, the "v" already stripped; minor and patch optional only without prerelease/build. */
const GO_SEMVER =
  /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(-(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

/** x/vuln's tag pattern for Go releases. */
const GO_TAG = /^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$/;

/** A Go toolchain tag as a semver string without "v", or undefined when it is not one. */
export function goTagToSemver(tag: string): string | undefined {
  const first = tag.trim().split(/\s+/)[0] ?? '';
  if (first === 'go1') return '1.0.0';
  if (first === 'go1.0') return undefined;
  const m = GO_TAG.exec(first);
  if (!m) return undefined;
  let version = m[1]! + (m[2] ? m[2] : '.0');
  if (m[3]) version += (m[4]!.startsWith('-') ? '' : '-') + m[4]! + '.' + m[5]!;
  return version;
}

export function parseGoVersion(input: string): ParseResult<semver.SemVer> {
  let text: string;
  if (input.startsWith('go')) {
    const converted = goTagToSemver(input);
    if (converted === undefined) return rejected('not a Go release tag such as go1.21.3 or go1.21rc2');
    text = converted;
  } else {
    text = input.startsWith('v') ? input.slice(1) : input;
  }
  const m = GO_SEMVER.exec(text);
  if (!m) return rejected('not a Go module version (semver with optional leading "v")');
  const canonical = `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ?? ''}`;
  const v = semver.parse(canonical, { loose: false });
  return v && !hasOversizedNumericIdentifier(v) ? parsed(v) : rejected('a number is too large');
}

export const goScheme = defineScheme<semver.SemVer>({
  id: 'go',
  displayName: 'Go modules',
  urls: ['https://go.dev/ref/mod#versions', 'https://pkg.go.dev/golang.org/x/mod/semver'],
  parse: parseGoVersion,
  compareParsed: (a, b) => a.compare(b),
});

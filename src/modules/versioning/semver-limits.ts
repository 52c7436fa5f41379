import type { SemVer } from 'semver';

/**
 * True when a prerelease identifier is numeric but too large for the `semver` package to compare
 * exactly (it keeps such an identifier as a string and then compares it as a lossy number). Go and
 * Rust compare those exactly, so schemes built on `semver` for them reject such versions instead.
 * (Major, minor and patch above 2^53-1 are already rejected by `semver` itself.)
 */
export function hasOversizedNumericIdentifier(version: SemVer): boolean {
  return version.prerelease.some((id) => typeof id === 'string' && /^[0-9]+$/.test(id));
}

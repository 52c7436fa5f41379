/**
 * Cargo (crates.io) versions: SemVer 2.0.0, compared with the `semver` package; build metadata is
 * ignored as SemVer says ("0.11.0+wasi-snapshot-preview1" equals "0.11.0").
 *
 * The Rust semver crate that Cargo uses is stricter than node's semver on spelling: no "v" or "="
 * prefix and no surrounding whitespace, so those are rejected here before `semver` sees them.
 * Numbers above 2^53-1, which Rust accepts (u64) and node's semver cannot hold, are rejected too.
 */
import semver from 'semver';
import { defineScheme, parsed, rejected } from '../define.js';
import { hasOversizedNumericIdentifier } from '../semver-limits.js';

export const cargoScheme = defineScheme<semver.SemVer>({
  id: 'cargo',
  displayName: 'Cargo (SemVer)',
  urls: ['https://doc.rust-lang.org/cargo/reference/semver.html', 'https://semver.org/spec/v2.0.0.html'],
  parse: (version) => {
    if (!/^[0-9]/.test(version) || /\s/.test(version)) return rejected('must start with a digit and hold no whitespace');
    const v = semver.parse(version, { loose: false });
    if (!v) return rejected('not a SemVer 2.0.0 version');
    return hasOversizedNumericIdentifier(v) ? rejected('a number is too large') : parsed(v);
  },
  compareParsed: (a, b) => a.compare(b),
});

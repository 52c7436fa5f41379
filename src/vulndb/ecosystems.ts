import { baseEcosystem } from './names.js';

/**
 * OSV's top-level ecosystems as spelled in its bucket (https://osv-vulnerabilities.storage.googleapis.com/ecosystems.txt).
 * Users may type them in any case; the database keeps this spelling.
 */
export const OSV_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Echo',
  'GHC',
  'GIT',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'opam',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'VSCode',
  'Wolfi',
] as const;

const BY_LOWER = new Map<string, string>(OSV_ECOSYSTEMS.map((e) => [e.toLowerCase(), e]));

/**
 * The bucket name for what a user or a scan asked for: "debian", "Debian:12" and "DEBIAN" all give
 * "Debian". `known` (names already in the database) wins over the built-in list, so an ecosystem OSV
 * adds later keeps the spelling it was first stored with; an unknown name is kept as typed.
 */
export function canonicalEcosystem(name: string, known: readonly string[] = []): string {
  const base = baseEcosystem(name.trim());
  const lower = base.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower) ?? BY_LOWER.get(lower) ?? base;
}

/** Canonical, de-duplicated, in the order given. */
export function canonicalEcosystems(names: readonly string[], known: readonly string[] = []): string[] {
  return [...new Set(names.filter((n) => n.trim() !== '').map((n) => canonicalEcosystem(n, known)))];
}

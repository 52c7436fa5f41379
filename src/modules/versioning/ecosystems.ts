import type { VersionSchemeId } from './types.js';

/**
 * OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field) to the scheme that
 * orders their versions. Distro ecosystems carry a release after a colon ("Debian:12",
 * "Ubuntu:22.04:LTS", "Alpine:v3.19", "Red Hat:enterprise_linux:9::appstream"), which does not change
 * the scheme, so only the part before the first colon is looked up. Names are matched exactly, as OSV
 * spells them.
 */
const SCHEME_BY_ECOSYSTEM: Readonly<Record<string, VersionSchemeId>> = {
  Debian: 'dpkg',
  Ubuntu: 'dpkg',
  Alpine: 'apk',
  Wolfi: 'apk',
  Chainguard: 'apk',
  'Red Hat': 'rpm',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  openSUSE: 'rpm',
  SUSE: 'rpm',
  Mageia: 'rpm',
  openEuler: 'rpm',
  npm: 'npm',
  PyPI: 'pep440',
  Go: 'go',
  Maven: 'maven',
  RubyGems: 'rubygems',
  Packagist: 'composer',
  NuGet: 'nuget',
  'crates.io': 'cargo',
};

export function schemeForEcosystem(osvEcosystem: string): VersionSchemeId | undefined {
  const base = osvEcosystem.split(':', 1)[0]!;
  return Object.hasOwn(SCHEME_BY_ECOSYSTEM, base) ? SCHEME_BY_ECOSYSTEM[base] : undefined;
}

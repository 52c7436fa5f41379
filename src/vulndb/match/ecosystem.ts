import type { OsInfo, Package, PackageType } from '../../core/package.js';

const LANGUAGE_ECOSYSTEMS: Partial<Record<PackageType, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  composer: 'Packagist',
  cargo: 'crates.io',
  nuget: 'NuGet',
};

const major = (version: string | undefined): string | undefined => version?.match(/^(\d+)/)?.[1];
const majorMinor = (version: string | undefined): string | undefined => version?.match(/^(\d+\.\d+)/)?.[1];

/** Ubuntu's LTS releases are the even-year April ones; os-release also says "LTS" in VERSION/PRETTY_NAME. */
function ubuntuEcosystem(os: OsInfo): string | undefined {
  const release = majorMinor(os.version);
  if (!release) return undefined;
  const [year, month] = release.split('.').map(Number) as [number, number];
  const lts = /\bLTS\b/.test(os.prettyName ?? '') || (year % 2 === 0 && month === 4);
  return `Ubuntu:${release}${lts ? ':LTS' : ''}`;
}

/**
 * The OSV ecosystem, release included, that advisories for this OS's packages are filed under:
 * "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19". Undefined when OSV has no data for the distro
 * or the release cannot be told (Debian testing has no VERSION_ID).
 */
export function osEcosystem(os: OsInfo | undefined): string | undefined {
  if (!os) return undefined;
  switch (os.family) {
    case 'debian': {
      const m = major(os.version);
      return m ? `Debian:${m}` : undefined;
    }
    case 'ubuntu':
      return ubuntuEcosystem(os);
    case 'alpine': {
      const mm = majorMinor(os.version);
      return mm ? `Alpine:v${mm}` : undefined;
    }
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'rocky': {
      const m = major(os.version);
      return m ? `Rocky Linux:${m}` : undefined;
    }
    case 'almalinux': {
      const m = major(os.version);
      return m ? `AlmaLinux:${m}` : undefined;
    }
    case 'mageia': {
      const m = major(os.version);
      return m ? `Mageia:${m}` : undefined;
    }
    default:
      return undefined;
  }
}

export interface MatchKey {
  ecosystem: string;
  /** Names to look advisories up by, most specific first: distro data is filed by source package. */
  names: string[];
  /** The version the advisory ranges are written against. */
  version: string;
}

/** How to look a package up in OSV, or undefined when OSV has no ecosystem for it. */
export function matchKey(pkg: Package, os: OsInfo | undefined): MatchKey | undefined {
  const language = LANGUAGE_ECOSYSTEMS[pkg.type];
  if (language) return { ecosystem: language, names: [pkg.name], version: pkg.version };
  const ecosystem = osEcosystem(os);
  if (!ecosystem) return undefined;
  switch (pkg.type) {
    // Debian and Ubuntu advisories name source packages and source versions (a binNMU "+b1" is not a fix).
    case 'deb':
      return { ecosystem, names: [pkg.sourceName ?? pkg.name], version: pkg.sourceVersion ?? pkg.version };
    // Alpine's secdb is keyed by the origin (source) package; versions are shared.
    case 'apk':
      return { ecosystem, names: unique([pkg.sourceName ?? pkg.name, pkg.name]), version: pkg.version };
    // RPM distros file advisories by binary name in OSV, some by source: try both.
    case 'rpm':
      return { ecosystem, names: unique([pkg.name, pkg.sourceName ?? pkg.name]), version: pkg.version };
    default:
      return undefined;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Kernel headers and tools built from the kernel's source: in a container they are build inputs, not the
 * running kernel, so the kernel's hundreds of CVEs do not apply to them unless asked for.
 */
export function isKernelPackage(pkg: Package): boolean {
  if (pkg.type !== 'deb' && pkg.type !== 'rpm' && pkg.type !== 'apk') return false;
  const source = pkg.sourceName ?? pkg.name;
  return (
    /^linux(-signed.*|-latest.*|-lts.*|-5\.\d+|-6\.\d+)?$/.test(source) ||
    /^(kernel|kernel-headers|kernel-devel|linux-headers)(-|$)/.test(pkg.name) ||
    /^linux-(libc-dev|headers-.*|kbuild-.*|compiler-.*)$/.test(pkg.name)
  );
}

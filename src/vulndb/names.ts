/**
 * The key a package name is stored and looked up under, so that spellings an ecosystem treats as one
 * package meet: PyPI normalises per PEP 503, NuGet and Packagist names are case-insensitive.
 * `ecosystem` is the OSV ecosystem, with or without a release suffix ("Debian:12").
 */
export function packageNameKey(ecosystem: string, name: string): string {
  const base = baseEcosystem(ecosystem);
  switch (base) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

/** OSV's top-level ecosystem (its bucket directory) for a full ecosystem string: "Ubuntu:22.04:LTS" -> "Ubuntu". */
export function baseEcosystem(ecosystem: string): string {
  return ecosystem.split(':')[0] ?? ecosystem;
}

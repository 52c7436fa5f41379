/** Main-section attributes of META-INF/MANIFEST.MF (72-byte lines continued by a leading space). */
export function parseManifest(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let key: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') break; // the main section ends at the first blank line
    if (line.startsWith(' ') && key !== undefined) {
      attributes.set(key, attributes.get(key)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      key = undefined;
      continue;
    }
    key = line.slice(0, colon).trim();
    attributes.set(key, line.slice(colon + 1).replace(/^ /, ''));
  }
  return attributes;
}

export interface Coordinates {
  groupId?: string;
  artifactId: string;
  version: string;
}

/**
 * Coordinates from manifest attributes, in trivy's order of preference (pkg/dependency/parser/java/jar):
 * group from Implementation-Vendor-Id, Bundle-SymbolicName (minus its last segment),
 * Implementation-Vendor, Specification-Vendor; artifact from Implementation-Title, Specification-Title,
 * Bundle-Name; version from Implementation-Version, Specification-Version, Bundle-Version.
 */
export function coordinatesFromManifest(attributes: Map<string, string>): Coordinates | undefined {
  const get = (name: string): string | undefined => {
    const value = attributes.get(name)?.trim();
    return value ? value : undefined;
  };
  const symbolicName = get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const bundleGroup = symbolicName && symbolicName.lastIndexOf('.') > 0 ? symbolicName.slice(0, symbolicName.lastIndexOf('.')) : symbolicName;
  const groupId = get('Implementation-Vendor-Id') ?? bundleGroup ?? get('Implementation-Vendor') ?? get('Specification-Vendor');
  const artifactId = get('Implementation-Title') ?? get('Specification-Title') ?? get('Bundle-Name');
  const version = get('Implementation-Version') ?? get('Specification-Version') ?? get('Bundle-Version');
  if (!groupId || !artifactId || !version) return undefined;
  return { groupId, artifactId, version };
}

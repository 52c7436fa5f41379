import { coordinatesFromFileName } from './file-name.js';
import { coordinatesFromManifest, type Coordinates } from './manifest.js';

/** Which evidence named an artifact. */
export type ArtifactSource = 'pom.properties' | 'MANIFEST.MF' | 'file name';

export interface IdentifiedArtifact extends Coordinates {
  source: ArtifactSource;
}

/** pom.properties as Maven writes it: the artifact counts only when all three coordinates are set. */
export function coordinatesFromPomProperties(props: Map<string, string>): Coordinates | undefined {
  const groupId = props.get('groupId')?.trim();
  const artifactId = props.get('artifactId')?.trim();
  const version = props.get('version')?.trim();
  if (!groupId || !artifactId || !version) return undefined;
  return { groupId, artifactId, version };
}

/**
 * What one archive is, from the evidence found directly inside it. Every pom.properties names an
 * artifact (shaded jars hold several). The manifest is the fallback when there is none, or when the
 * file name names an artifact no pom.properties matches (the archive's own identity is missing);
 * the file name is the last resort.
 */
export function identifyArchive(path: string, poms: Coordinates[], manifest: Map<string, string> | undefined): IdentifiedArtifact[] {
  const found: IdentifiedArtifact[] = poms.map((c) => ({ ...c, source: 'pom.properties' }));
  const fromName = coordinatesFromFileName(path);
  const ownPomFound = fromName ? poms.some((p) => p.artifactId === fromName.artifactId) : poms.length > 0;
  if (ownPomFound) return found;
  const fromManifest = manifest ? coordinatesFromManifest(manifest) : undefined;
  if (fromManifest && !poms.some((p) => p.version === fromManifest.version && p.artifactId === fromManifest.artifactId)) {
    found.push({ ...fromManifest, source: 'MANIFEST.MF' });
    return found;
  }
  if (fromName && !fromManifest) found.push({ ...fromName, source: 'file name' });
  return found;
}

import type { Coordinates } from './manifest.js';

// As trivy: the longest name, then "-" and a version starting with a digit ("guava-31.1-jre.jar").
const VERSIONED = /^([a-zA-Z0-9._-]*[^-*])-(\d\S*)\.(?:jar|war|ear|par|jpi|hpi)$/i;

/** Artifact and version from a file name like `commons-lang3-3.12.0.jar`; no group can be known. */
export function coordinatesFromFileName(path: string): Coordinates | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const match = VERSIONED.exec(base);
  if (!match) return undefined;
  return { artifactId: match[1]!, version: match[2]! };
}

import type { Coordinates } from './manifest.js';

export interface LockedDependency extends Coordinates {
  groupId: string;
  configurations: string[];
}

/** Only test configurations (testCompileClasspath, androidTestRuntimeClasspath, integrationTest...). */
export function onlyTest(configurations: string[]): boolean {
  return configurations.length > 0 && configurations.every((c) => /test/i.test(c));
}

/**
 * A Gradle dependency lock: `group:artifact:version=conf1,conf2` lines (Gradle 6+ gradle.lockfile),
 * or bare `group:artifact:version` lines in gradle/dependency-locks/<configuration>.lockfile (Gradle 5),
 * where the file name is the configuration. `empty=` and comments are skipped.
 */
export function parseGradleLockfile(text: string, fileName: string): LockedDependency[] {
  const perConfiguration = /\.lockfile$/.test(fileName) && !/gradle\.lockfile$/.test(fileName) ? fileName.replace(/^.*\//, '').replace(/\.lockfile$/, '') : undefined;
  const out: LockedDependency[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const [coordinates, confs] = line.split('=', 2) as [string, string | undefined];
    const parts = coordinates.split(':');
    if (parts.length < 3 || parts.some((p) => p.trim() === '')) continue;
    const [groupId, artifactId, version] = parts as [string, string, string];
    const configurations = confs !== undefined ? confs.split(',').map((c) => c.trim()).filter(Boolean) : perConfiguration ? [perConfiguration] : [];
    out.push({ groupId, artifactId, version, configurations });
  }
  return out;
}

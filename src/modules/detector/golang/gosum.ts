/**
 * go.sum, the fallback when a directory has no go.mod: "<module> <version>[/go.mod] <hash>" lines.
 * Only lines hashing a module's content (not just its go.mod) name modules whose code was needed.
 */
export interface GoSumEntry {
  path: string;
  version: string;
}

export function parseGoSum(text: string): GoSumEntry[] {
  const seen = new Set<string>();
  const entries: GoSumEntry[] = [];
  for (const line of text.split('\n')) {
    const [path, version, hash] = line.trim().split(/\s+/);
    if (!path || !version || !hash || version.endsWith('/go.mod')) continue;
    const key = `${path}@${version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ path, version });
  }
  return entries;
}

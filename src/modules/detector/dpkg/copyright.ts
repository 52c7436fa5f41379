/**
 * Licence names from a Debian copyright file: the License: fields of a machine-readable (DEP-5) file,
 * else references to /usr/share/common-licenses/<NAME> in free-form ones.
 */
export function licensesFromCopyright(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const name = m[1]!.trim();
    if (name) found.add(name);
  }
  if (found.size === 0) {
    for (const m of text.matchAll(/\/usr\/share\/common-licenses\/([A-Za-z0-9.+_-]+)/g)) {
      found.add(m[1]!.replace(/\.$/, ''));
    }
  }
  return [...found].sort();
}

/**
 * yarn.lock v1 ("# yarn lockfile v1"): blocks keyed by one or more `name@range` specifiers,
 * indented `key value` fields and `dependencies:` / `optionalDependencies:` sections.
 */
export interface YarnClassicEntry {
  specifiers: string[];
  version?: string;
  resolved?: string;
  dependencies: Record<string, string>;
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\"/g, '"') : t;
}

/** `"@babel/core" "^7.0.0"` or `version "1.2.3"` -> [key, value]. */
function splitField(text: string): [string, string] {
  const m = /^("(?:[^"\\]|\\.)*"|\S+)\s+(.*)$/.exec(text);
  return m ? [unquote(m[1]!), unquote(m[2]!)] : [unquote(text), ''];
}

export function parseYarnClassic(text: string): YarnClassicEntry[] {
  const entries: YarnClassicEntry[] = [];
  let current: YarnClassicEntry | undefined;
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0) {
      if (!line.endsWith(':')) throw new Error(`unexpected line "${line.slice(0, 80)}"`);
      current = { specifiers: line.slice(0, -1).split(/,\s*/).map(unquote), dependencies: {} };
      entries.push(current);
      section = undefined;
    } else if (!current) {
      throw new Error(`field outside an entry: "${line.slice(0, 80)}"`);
    } else if (indent <= 2) {
      section = undefined;
      if (line.endsWith(':')) {
        section = unquote(line.slice(0, -1));
        continue;
      }
      const [key, value] = splitField(line);
      if (key === 'version') current.version = value;
      else if (key === 'resolved') current.resolved = value;
    } else if (section === 'dependencies' || section === 'optionalDependencies') {
      const [key, value] = splitField(line);
      current.dependencies[key] = value;
    }
  }
  return entries;
}

/** `@scope/name@^1.0.0` -> `@scope/name`. */
export function specifierName(specifier: string): string {
  const at = specifier.indexOf('@', 1);
  return at < 0 ? specifier : specifier.slice(0, at);
}

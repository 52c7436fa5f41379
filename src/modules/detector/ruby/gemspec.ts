/**
 * Installed gem specifications (`specifications/*.gemspec`) are Ruby source that RubyGems writes in
 * one generated form (`s.name = "rack".freeze`, `s.version = "2.2.22"`, `s.licenses = ["MIT".freeze]`).
 * This reads that form with a few patterns, never evaluating Ruby.
 */
export interface Gemspec {
  name: string;
  version: string;
  licenses: string[];
}

/** Ruby string literals: "double", 'single', %q{...} / %q<...> / %q(...) / %q[...] (as generated: `%q<rake>`). */
const STRING = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%[qQ](?:<([^>]*)>|\{([^}]*)\}|\(([^)]*)\)|\[([^\]]*)\])/g;

function strings(expression: string): string[] {
  const out: string[] = [];
  for (const m of expression.matchAll(STRING)) {
    const value = m.slice(1).find((group) => group !== undefined);
    if (value !== undefined) out.push(value.replace(/\\(.)/g, '$1'));
  }
  return out;
}

/** `<var>.<attr> = <expression>` assignments at the top level of the `Gem::Specification.new do |var|` block. */
function assignments(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const block = /Gem::Specification\.new\s+do\s*\|\s*(\w+)\s*\|/.exec(text);
  const variable = block?.[1] ?? '\\w+';
  const line = new RegExp(`^\\s*${variable}\\.(name|version|licenses?)\\s*=\\s*(.+)$`, 'gm');
  for (const m of text.matchAll(line)) {
    if (!found.has(m[1]!)) found.set(m[1]!, m[2]!);
  }
  return found;
}

/** The spec's name, version and licenses, or an error message when it is not a gemspec we can read. */
export function parseGemspec(text: string): Gemspec | string {
  const set = assignments(text);
  // The generated header `# stub: rack 2.2.22 ruby lib` carries name and version too (extensions follow, NUL-separated).
  const stub = /^# stub: (\S+) (\S+) /m.exec(text);
  const name = strings(set.get('name') ?? '')[0] ?? stub?.[1];
  const versionExpr = set.get('version') ?? '';
  const version = strings(versionExpr)[0] ?? stub?.[2];
  if (!name || !version) return 'no gem name and version found';
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !/^[0-9][0-9A-Za-z.-]*$/.test(version)) return `unreadable gem name or version "${name}" "${version}"`;
  const licenses = [...strings(set.get('licenses') ?? ''), ...strings(set.get('license') ?? '')];
  return { name, version, licenses: [...new Set(licenses)] };
}

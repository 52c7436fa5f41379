/** One parsed `WWW-Authenticate` challenge, e.g. `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  scheme: 'bearer' | 'basic' | 'other';
  params: Record<string, string>;
}

const PARAM = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;

/** Registries send one challenge; when several are sent, prefer Bearer, then Basic. */
export function parseChallenges(header: string | string[] | undefined): Challenge | undefined {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const parsed = values.map(parseOne).filter((c): c is Challenge => c !== undefined);
  return parsed.find((c) => c.scheme === 'bearer') ?? parsed.find((c) => c.scheme === 'basic') ?? parsed[0];
}

function parseOne(value: string): Challenge | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(value);
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  const scheme = name === 'bearer' || name === 'basic' ? name : 'other';
  const params: Record<string, string> = {};
  for (const m of (match[2] ?? '').matchAll(PARAM)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params };
}

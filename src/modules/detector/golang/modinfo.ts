/**
 * The module information a Go binary embeds (runtime/debug.BuildInfo's text form), as
 * `go version -m` prints it: tab-separated `path`, `mod`, `dep`, `=>` (replaces the line before)
 * and `build` lines.
 */

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Array<{ key: string; value: string }>;
}

/** 16-byte markers the linker puts around the module info (cmd/go/internal/modload.ModInfoData). */
const SENTINEL_LENGTH = 16;

/** Strips the sentinels as debug/buildinfo does: only when the text is long enough and ends in a newline. */
export function stripSentinels(raw: Buffer): string {
  if (raw.length >= 33 && raw[raw.length - 17] === 0x0a) {
    return raw.subarray(SENTINEL_LENGTH, raw.length - SENTINEL_LENGTH).toString('utf8');
  }
  return '';
}

function module(fields: string[]): GoModule {
  const mod: GoModule = { path: fields[0] ?? '', version: fields[1] ?? '' };
  if (fields[2]) mod.sum = fields[2];
  return mod;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value;
  }
}

/** Parses the module info text; lines it does not understand are skipped, never fatal. */
export function parseModinfo(goVersion: string, text: string): GoBuildInfo {
  const info: GoBuildInfo = { goVersion, deps: [], settings: [] };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    const fields = rest.split('\t');
    switch (kind) {
      case 'go':
        if (!info.goVersion) info.goVersion = rest;
        break;
      case 'path':
        info.path = rest;
        break;
      case 'mod':
        info.main = module(fields);
        last = info.main;
        break;
      case 'dep':
        if (fields[0]) {
          last = module(fields);
          info.deps.push(last);
        }
        break;
      case '=>':
        if (last && fields[0]) last.replace = module(fields);
        last = undefined;
        break;
      case 'build': {
        const eq = rest.startsWith('"') ? findQuotedEnd(rest) : rest.indexOf('=');
        if (eq > 0) info.settings.push({ key: unquote(rest.slice(0, eq)), value: unquote(rest.slice(eq + 1)) });
        break;
      }
      default:
        break;
    }
  }
  return info;
}

/** Index of the '=' after a quoted build setting key. */
function findQuotedEnd(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return text[i + 1] === '=' ? i + 1 : -1;
  }
  return -1;
}

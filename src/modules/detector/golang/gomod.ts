/**
 * go.mod (https://go.dev/ref/mod#go-mod-file): `module`, `require` and `replace` directives, single
 * or in parenthesized blocks, with `// indirect` comments. Other directives are skipped.
 */

export interface GoModRequire {
  path: string;
  version: string;
  indirect: boolean;
}

export interface GoModReplace {
  oldPath: string;
  oldVersion?: string;
  newPath: string;
  /** Absent when the replacement is a local directory. */
  newVersion?: string;
}

export interface GoMod {
  module?: string;
  go?: string;
  toolchain?: string;
  requires: GoModRequire[];
  replaces: GoModReplace[];
}

/** Splits a line into tokens (quoted strings unquoted) and its trailing comment. */
export function tokenize(line: string): { tokens: string[]; comment?: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
      const raw = line.slice(i, j + 1);
      tokens.push(c === '`' ? raw.slice(1, -1) : unquote(raw));
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && !' \t\r"`'.includes(line[j]!) && !line.startsWith('//', j)) j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return { tokens };
}

function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

/** Go marks indirect requirements with a comment that is "indirect" or starts "indirect;". */
function isIndirect(comment: string | undefined): boolean {
  return comment !== undefined && (comment === 'indirect' || comment.startsWith('indirect;'));
}

function applyDirective(mod: GoMod, verb: string, args: string[], comment: string | undefined): void {
  switch (verb) {
    case 'module':
      if (args[0]) mod.module = args[0];
      break;
    case 'go':
      if (args[0]) mod.go = args[0];
      break;
    case 'toolchain':
      if (args[0]) mod.toolchain = args[0];
      break;
    case 'require':
      if (args.length >= 2) mod.requires.push({ path: args[0]!, version: args[1]!, indirect: isIndirect(comment) });
      break;
    case 'replace': {
      const arrow = args.indexOf('=>');
      if (arrow !== 1 && arrow !== 2) break;
      const [oldPath, oldVersion] = args.slice(0, arrow);
      const [newPath, newVersion] = args.slice(arrow + 1);
      if (!oldPath || !newPath) break;
      const replace: GoModReplace = { oldPath, newPath };
      if (oldVersion) replace.oldVersion = oldVersion;
      if (newVersion) replace.newVersion = newVersion;
      mod.replaces.push(replace);
      break;
    }
    default:
      break;
  }
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: [], replaces: [] };
  let block: string | undefined;
  for (const line of text.split('\n')) {
    const { tokens, comment } = tokenize(line);
    if (block !== undefined) {
      if (tokens[0] === ')') block = undefined;
      else if (tokens.length) applyDirective(mod, block, tokens, comment);
      continue;
    }
    const [verb, ...args] = tokens;
    if (!verb) continue;
    if (args.length === 1 && args[0] === '(') block = verb;
    else applyDirective(mod, verb, args, comment);
  }
  return mod;
}

export interface GoModDependency {
  path: string;
  version: string;
  indirect: boolean;
  /** The requirement as written, when a replace directive changed it. */
  replaced?: { path: string; version: string };
}

/**
 * Requirements with replace directives applied, as trivy does: a replacement by another module
 * version takes the requirement's place; a replacement by a local directory drops it (`local`).
 */
export function resolveRequires(mod: GoMod): { deps: GoModDependency[]; local: GoModRequire[] } {
  const deps: GoModDependency[] = [];
  const local: GoModRequire[] = [];
  for (const req of mod.requires) {
    // A versioned replace wins over a wildcard one for the same path.
    const replace =
      mod.replaces.find((r) => r.oldPath === req.path && r.oldVersion === req.version) ??
      mod.replaces.find((r) => r.oldPath === req.path && r.oldVersion === undefined);
    if (!replace) deps.push({ ...req });
    else if (!replace.newVersion) local.push(req);
    else deps.push({ path: replace.newPath, version: replace.newVersion, indirect: req.indirect, replaced: { path: req.path, version: req.version } });
  }
  return { deps, local };
}

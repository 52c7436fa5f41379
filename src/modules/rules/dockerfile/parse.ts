import { DockerfileParser, Keyword, type Instruction as AstInstruction, type Arg, type Env, type Heredoc } from 'dockerfile-ast';
type Range = ReturnType<AstInstruction['getRange']>;

import { BulwarkError } from '../../../core/errors.js';
import { parseScript, type Script } from './shell.js';

/** One instruction, with everything the rules need already read out. */
export interface DfInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** 1-based last line (continuations and heredocs included). */
  endLine: number;
  /** The instruction's source text, exactly as written (all its lines). */
  text: string;
  /**
   * Arguments as one logical line: flags removed, line continuations joined, comment lines inside
   * continuations dropped, heredoc bodies left out.
   */
  args: string;
  /** --flag=value pairs (RUN --mount, COPY --from, FROM --platform, ...); a flag without value maps to null. */
  flags: Map<string, string | null>;
  /** Every --mount flag's value (there may be several). */
  mounts: string[];
  /** Exec form (JSON array) for RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD: its strings; else null. */
  exec: string[] | null;
  /** Here-documents: their name and body. */
  heredocs: { name: string; body: string }[];
  /** The stage this instruction belongs to; undefined for ARGs before the first FROM. */
  stage?: Stage;
  /** key=value properties of ENV, ARG, LABEL (values unquoted; null when an ARG has no default). */
  properties: { name: string; value: string | null }[];
}

export interface FromInfo {
  /** The image as written, e.g. "${BASE}" or "debian:12". */
  written: string;
  /** After substituting the global ARGs' defaults. */
  image: string;
  /** Whether variables remained that no ARG default gives a value to. */
  unresolved: boolean;
  /** Repository part (registry and path), lower-cased. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** Alias given with AS, lower-cased. */
  alias: string | null;
  platform: string | null;
}

export interface Stage {
  index: number;
  from: FromInfo;
  fromInstruction: DfInstruction;
  /** The earlier stage this one is built on (`FROM builder`), if any. */
  parent: Stage | null;
  isScratch: boolean;
  /** Instructions after FROM, in order. */
  instructions: DfInstruction[];
}

export interface ParsedDockerfile {
  path: string;
  /** Source lines (without line terminators). */
  lines: string[];
  escape: string;
  /** ARGs before the first FROM. */
  globalArgs: DfInstruction[];
  stages: Stage[];
  /** Every instruction in file order. */
  instructions: DfInstruction[];
}

const KEYWORDS = new Set<string>(Object.values(Keyword));
const NO_ARGS_ALLOWED = new Set(['CMD', 'ENTRYPOINT']);

function fail(path: string, line: number, message: string): never {
  throw new BulwarkError('E_FORMAT', `${path}:${line}: ${message}`);
}

function textOf(lines: string[], range: Range): string {
  const { start, end } = range;
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
  const parts = [(lines[start.line] ?? '').slice(start.character)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l] ?? '');
  parts.push((lines[end.line] ?? '').slice(0, end.character));
  return parts.join('\n');
}

/** Joins continuation lines and drops comment/empty lines inside them, as the builder does. */
export function logicalLine(raw: string, escape: string): string {
  const lines = raw.split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (i > 0 && (/^\s*#/.test(line) || /^\s*$/.test(line))) continue;
    const trimmed = line.replace(/\s+$/, '');
    if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape) && i < lines.length - 1) {
      line = trimmed.slice(0, -1);
      out += line;
    } else {
      out += line;
      if (i < lines.length - 1) out += '\n';
    }
  }
  return out.trim();
}

/** Substitutes $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt}; reports whether something stayed unknown. */
export function substitute(value: string, vars: Map<string, string | null>): { value: string; unresolved: boolean } {
  let unresolved = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const v = vars.get(name);
    const set = v !== undefined && v !== null && (op?.startsWith(':') ? v !== '' : true);
    if (op?.endsWith('-')) return set ? (v as string) : (word ?? '');
    if (op?.endsWith('+')) return set ? (word ?? '') : '';
    if (v === undefined || v === null) {
      unresolved = true;
      return '';
    }
    return v;
  });
  return { value: out, unresolved };
}

/** Splits an image reference into repository, tag and digest. */
export function splitImage(image: string): { name: string; tag: string | null; digest: string | null } {
  let rest = image;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest.toLowerCase(), tag, digest };
}

function flagsOf(node: AstInstruction): { flags: Map<string, string | null>; mounts: string[] } {
  const flags = new Map<string, string | null>();
  const mounts: string[] = [];
  const getFlags = (node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags;
  if (typeof getFlags === 'function') {
    for (const f of getFlags.call(node)) {
      flags.set(f.getName(), f.getValue());
      if (f.getName() === 'mount' && f.getValue() !== null) mounts.push(f.getValue() as string);
    }
  }
  return { flags, mounts };
}

function heredocsOf(node: AstInstruction, lines: string[]): { name: string; body: string; start: number; closed: boolean }[] {
  const getHeredocs = (node as unknown as { getHeredocs?: () => Heredoc[] }).getHeredocs;
  if (typeof getHeredocs !== 'function') return [];
  return getHeredocs.call(node).map((h) => {
    const content = h.getContentRange();
    return {
      name: h.getName(),
      body: content ? textOf(lines, content) : '',
      start: h.getStartRange().start.line,
      closed: h.getDelimiterRange() !== null,
    };
  });
}

function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(args);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Not valid JSON: the builder runs it in shell form.
  }
  return null;
}

/** Parses a Dockerfile; a malformed one gives a one-line BulwarkError naming the file and line. */
export function parseDockerfile(text: string, path: string): ParsedDockerfile {
  if (text.includes('\0')) fail(path, 1, 'not a Dockerfile (binary content)');
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const ast = DockerfileParser.parse(source);
  const escape = ast.getEscapeCharacter();
  const result: ParsedDockerfile = { path, lines, escape, globalArgs: [], stages: [], instructions: [] };
  const globalVars = new Map<string, string | null>();
  let stage: Stage | undefined;

  for (const node of ast.getInstructions()) {
    const range = node.getRange();
    const line = range.start.line + 1;
    const keyword = node.getKeyword().toUpperCase();
    if (!KEYWORDS.has(keyword)) fail(path, line, `unknown instruction "${node.getInstruction()}"`);
    const heredocs = heredocsOf(node, lines);
    for (const h of heredocs) if (!h.closed) fail(path, h.start + 1, `here-document <<${h.name} is not terminated`);
    const raw = node.getRawArgumentsContent() ?? '';
    // Heredoc bodies are not part of the instruction's own line.
    let own = raw;
    if (heredocs.length) {
      const argsRange = node.getArgumentsRange();
      const firstBodyLine = Math.min(...heredocs.map((h) => h.start)) + 1;
      if (argsRange) own = textOf(lines, { start: argsRange.start, end: { line: firstBodyLine - 1, character: (lines[firstBodyLine - 1] ?? '').length } });
    }
    const args = logicalLine(own, escape);
    const { flags, mounts } = flagsOf(node);
    const properties: DfInstruction['properties'] = [];
    if (keyword === 'ENV' || keyword === 'ARG' || keyword === 'LABEL') {
      const props = keyword === 'ARG' ? [(node as Arg).getProperty()].filter((p) => p !== null) : (node as Env).getProperties();
      for (const p of props) properties.push({ name: p.getName(), value: p.getValue() });
    }
    const instr: DfInstruction = {
      keyword,
      line,
      endLine: range.end.line + 1,
      text: textOf(lines, { start: { line: range.start.line, character: 0 }, end: range.end }),
      args,
      flags,
      mounts,
      exec: ['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD'].includes(keyword) ? execForm(args) : null,
      heredocs: heredocs.map((h) => ({ name: h.name, body: h.body })),
      properties,
    };

    if (args === '' && !heredocs.length && !NO_ARGS_ALLOWED.has(keyword)) fail(path, line, `${keyword} needs arguments`);
    if ((keyword === 'COPY' || keyword === 'ADD') && !heredocs.length && (instr.exec ?? node.getArguments()).length < 2) {
      fail(path, line, `${keyword} needs a source and a destination`);
    }

    if (keyword === 'FROM') {
      const words = node.getArguments().map((a) => a.getValue());
      const hasAlias = words.length === 3 && (words[1] as string).toUpperCase() === 'AS';
      if (words.length !== 1 && !hasAlias) fail(path, line, 'FROM takes an image and an optional "AS name"');
      const written = words[0] as string;
      const { value: image, unresolved } = substitute(written, globalVars);
      const alias = hasAlias ? (words[2] as string).toLowerCase() : null;
      if (alias !== null && !/^[a-z][a-z0-9_.-]*$/.test(alias)) fail(path, line, `invalid stage name "${words[2]}"`);
      const { name, tag, digest } = splitImage(image);
      const from: FromInfo = { written, image, unresolved, name, tag, digest, alias, platform: flags.get('platform') ?? null };
      const parent = tag === null && digest === null ? (result.stages.find((s) => s.from.alias === name) ?? null) : null;
      stage = { index: result.stages.length, from, fromInstruction: instr, parent, isScratch: name === 'scratch', instructions: [] };
      instr.stage = stage;
      result.stages.push(stage);
    } else if (!stage) {
      if (keyword !== 'ARG') fail(path, line, `${keyword} before the first FROM (only ARG may come first)`);
      for (const p of properties) {
        // A default may use earlier ARGs: ARG TAG=${BASE_TAG:-12}.
        const v = p.value === null ? null : substitute(p.value, globalVars);
        globalVars.set(p.name, v === null || v.unresolved ? null : v.value);
      }
      result.globalArgs.push(instr);
    } else {
      instr.stage = stage;
      stage.instructions.push(instr);
    }
    result.instructions.push(instr);
  }
  if (!result.stages.length) fail(path, Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0)), 'no FROM instruction');
  return result;
}

/** The shell script a RUN runs: its shell-form line, its heredoc script, or its exec-form words joined. */
export function runScript(instr: DfInstruction): string {
  if (instr.exec) return instr.exec.map((w) => (/[\s'"$|&;<>]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
  if (instr.heredocs.length) {
    // `RUN <<EOF` runs the body; `RUN cmd <<EOF` feeds the body to cmd as data.
    if (/^<<-?["']?[A-Za-z_]/.test(instr.args)) {
      const rest = instr.args.replace(/<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g, '').trim();
      return [rest, ...instr.heredocs.map((h) => h.body)].filter((s) => s !== '').join('\n');
    }
    return instr.args;
  }
  return instr.args;
}

const scriptCache = new WeakMap<DfInstruction, Script>();

/** The parsed shell script of a RUN (cached). */
export function runCommands(instr: DfInstruction): Script {
  let s = scriptCache.get(instr);
  if (!s) {
    s = parseScript(runScript(instr));
    scriptCache.set(instr, s);
  }
  return s;
}

/** The final stage and every stage it is built on (FROM stage chains). */
export function finalChain(df: ParsedDockerfile): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | null = df.stages[df.stages.length - 1] ?? null; s; s = s.parent) out.push(s);
  return out;
}

/**
 * A small POSIX-shell reader for RUN scripts: enough to find the simple commands, their words
 * (quotes removed) and which commands share a pipeline. It never runs anything and never fails:
 * what it cannot understand it keeps as plain words.
 */

export interface Command {
  /** Effective command name (after assignments and wrappers such as sudo or env), e.g. "apt-get". */
  name: string;
  /** Words after the name, quotes removed, redirections dropped. */
  args: string[];
  /** Wrappers the command ran under, e.g. ["sudo"]. */
  wrappers: string[];
}

export interface Pipeline {
  commands: Command[];
}

export interface Script {
  pipelines: Pipeline[];
  /** Every command of every pipeline, in order, including those read from `sh -c "..."`. */
  commands: Command[];
}

type Token = { op: string } | { word: string; raw: string };

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const SHELL_ENDERS = new Set(['fi', 'done', 'esac', '}']);
const WRAPPERS = new Set(['sudo', 'env', 'nohup', 'exec', 'command', 'nice', 'stdbuf']);
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'mksh', 'fish']);

/** Reads until the bracket that closes the one at `start` (which is "(" or "{"), honouring quotes. */
function skipBalanced(s: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      i = j < 0 ? s.length : j;
    } else if (c === open) {
      depth++;
    } else if (c === close) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}

export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let raw = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) tokens.push({ word, raw });
    word = '';
    raw = '';
    inWord = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const next = s[i + 1];
    if (c === '\\') {
      if (next === '\n') {
        i++;
        continue;
      }
      if (next !== undefined) {
        word += next;
        raw += c + next;
        inWord = true;
        i++;
      }
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      const end = j < 0 ? s.length : j;
      word += s.slice(i + 1, end);
      raw += s.slice(i, end + 1);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1] as string)) {
          if (s[j + 1] !== '\n') v += s[j + 1];
          j += 2;
          continue;
        }
        if (s[j] === '$' && s[j + 1] === '(') {
          const e = skipBalanced(s, j + 1, '(', ')');
          v += s.slice(j, e);
          j = e;
          continue;
        }
        v += s[j];
        j++;
      }
      word += v;
      raw += s.slice(i, j + 1);
      inWord = true;
      i = j;
      continue;
    }
    if ((c === '$' || c === '<' || c === '>') && next === '(') {
      const e = skipBalanced(s, i + 1, '(', ')');
      word += s.slice(i, e);
      raw += s.slice(i, e);
      inWord = true;
      i = e - 1;
      continue;
    }
    if (c === '$' && next === '{') {
      const e = skipBalanced(s, i + 1, '{', '}');
      word += s.slice(i, e);
      raw += s.slice(i, e);
      inWord = true;
      i = e - 1;
      continue;
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      const end = j < 0 ? s.length : j;
      word += s.slice(i, end + 1);
      raw += s.slice(i, end + 1);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '#' && !inWord) {
      const j = s.indexOf('\n', i);
      i = (j < 0 ? s.length : j) - 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      continue;
    }
    if (c === '\n' || c === ';' || c === '(' || c === ')') {
      flush();
      tokens.push({ op: c === '\n' ? ';' : c });
      continue;
    }
    if (c === '&' || c === '|') {
      flush();
      if (next === c) {
        tokens.push({ op: c + c });
        i++;
      } else if (c === '|' && next === '&') {
        tokens.push({ op: '|' });
        i++;
      } else if (c === '&' && next === '>') {
        tokens.push({ op: '>' });
        i++;
        if (s[i + 1] === '>') i++;
      } else {
        tokens.push({ op: c });
      }
      continue;
    }
    if (c === '>' || c === '<') {
      // A word made only of digits right before a redirection is a file descriptor.
      if (inWord && /^\d+$/.test(raw)) {
        word = '';
        raw = '';
        inWord = false;
      }
      flush();
      let op = c;
      while (s[i + 1] === '>' || s[i + 1] === '<' || s[i + 1] === '&' || s[i + 1] === '|' || s[i + 1] === '-') {
        op += s[i + 1];
        i++;
      }
      // `2>&1`, `>&2`: the target is a descriptor, not a file.
      if (op.endsWith('&')) {
        while (i + 1 < s.length && /[0-9-]/.test(s[i + 1] as string)) i++;
        continue;
      }
      tokens.push({ op: op.startsWith('<<') ? '<<' : '>' });
      continue;
    }
    word += c;
    raw += c;
    inWord = true;
  }
  flush();
  return tokens;
}

function basename(name: string): string {
  const i = name.lastIndexOf('/');
  return i >= 0 ? name.slice(i + 1) : name;
}

/** Builds a command from its words: drops assignments, shell keywords and wrappers. */
function toCommand(words: string[]): Command | null {
  const wrappers: string[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || SHELL_KEYWORDS.has(w)) {
      i++;
      continue;
    }
    const b = basename(w);
    if (WRAPPERS.has(b)) {
      wrappers.push(b);
      i++;
      // Options of the wrapper (sudo -u user, env -i, nice -n 10).
      while (i < words.length && (words[i] as string).startsWith('-')) {
        const opt = words[i] as string;
        i++;
        if ((b === 'sudo' && /^-[ugCDhpRrTt]$/.test(opt)) || (b === 'nice' && opt === '-n') || (b === 'env' && /^-[uCS]$/.test(opt))) i++;
      }
      continue;
    }
    break;
  }
  if (i >= words.length) return wrappers.length ? { name: wrappers[wrappers.length - 1] as string, args: [], wrappers: wrappers.slice(0, -1) } : null;
  const name = basename(words[i] as string);
  if (SHELL_ENDERS.has(name)) return null;
  return { name, args: words.slice(i + 1), wrappers };
}

/** Parses a shell script into pipelines of simple commands. */
export function parseScript(script: string, depth = 0): Script {
  const tokens = tokenize(script);
  const pipelines: Pipeline[] = [];
  let current: Command[] = [];
  let words: string[] = [];
  let skipNext = false;
  const endCommand = (): void => {
    const cmd = toCommand(words);
    if (cmd) current.push(cmd);
    words = [];
  };
  const endPipeline = (): void => {
    endCommand();
    if (current.length) pipelines.push({ commands: current });
    current = [];
  };
  for (const t of tokens) {
    if ('op' in t) {
      if (t.op === '|') endCommand();
      else if (t.op === '>' || t.op === '<<') skipNext = true;
      else endPipeline();
      continue;
    }
    if (skipNext) {
      skipNext = false;
      continue;
    }
    words.push(t.word);
  }
  endPipeline();
  const commands: Command[] = [];
  for (const p of pipelines) {
    for (const c of p.commands) {
      commands.push(c);
      // `sh -c "..."`: the string is a script too.
      if (depth < 2 && SHELLS.has(c.name)) {
        const k = c.args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
        const inner = k >= 0 ? c.args[k + 1] : undefined;
        if (inner !== undefined) commands.push(...parseScript(inner, depth + 1).commands);
      }
    }
  }
  return { pipelines, commands };
}

/** Whether the command has one of these flags: short ones may be grouped (-yq), long ones may carry =value. */
export function hasFlag(cmd: Command, short: string[], long: string[] = []): boolean {
  for (const a of cmd.args) {
    if (a === '--') return false;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0] as string;
      if (long.includes(name)) return true;
    } else if (a.startsWith('-') && a.length > 1) {
      // Grouped short flags, possibly with an attached value: -yq, -qO-, -q=2.
      const letters = /^[A-Za-z]+/.exec(a.slice(1))?.[0] ?? '';
      if (short.some((s) => s.length === 1 && letters.includes(s))) return true;
      if (short.some((s) => s.length > 1 && a.slice(1).split('=')[0] === s)) return true;
    }
  }
  return false;
}

/** The value given to an option (`--opt value`, `--opt=value`, `-o value`), all occurrences. */
export function optionValues(cmd: Command, names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i] as string;
    for (const n of names) {
      const flag = n.length === 1 ? `-${n}` : `--${n}`;
      if (a === flag && i + 1 < cmd.args.length) out.push(cmd.args[i + 1] as string);
      else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
      else if (n.length === 1 && a.startsWith(flag) && a.length > 2 && !a.startsWith('--')) out.push(a.slice(2));
    }
  }
  return out;
}

/**
 * The words of a command that are not options, after the subcommand: `apt-get -q install -y a b`
 * gives ["a", "b"] for subcommand "install". `valued` lists options that take a separate value.
 * Returns null when the subcommand is not there.
 */
export function operands(cmd: Command, subcommands: string[], valued: string[] = []): string[] | null {
  const isValued = (a: string): boolean => valued.some((v) => (v.length === 1 ? a === `-${v}` : a === `--${v}`));
  let i = 0;
  let found = subcommands.length === 0;
  const out: string[] = [];
  for (; i < cmd.args.length; i++) {
    const a = cmd.args[i] as string;
    if (a === '--') {
      if (found) out.push(...cmd.args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (isValued(a)) i++;
      continue;
    }
    if (!found) {
      if (subcommands.includes(a)) {
        found = true;
        continue;
      }
      // The first operand is the subcommand; any other one means this is not our subcommand.
      return null;
    }
    out.push(a);
  }
  return found ? out : null;
}

/** Commands with this name (or one of these names). */
export function commandsNamed(script: Script, names: string | string[]): Command[] {
  const set = new Set(Array.isArray(names) ? names : [names]);
  return script.commands.filter((c) => set.has(c.name));
}

/** pip, pip3, pip3.11, and `python -m pip` (as a command named "pip"). */
export function pipCommands(script: Script): Command[] {
  const out: Command[] = [];
  for (const c of script.commands) {
    if (/^pip(\d+(\.\d+)?)?$/.test(c.name)) out.push(c);
    else if (/^python(\d+(\.\d+)?)?$/.test(c.name)) {
      const k = c.args.indexOf('-m');
      if (k >= 0 && c.args[k + 1] === 'pip') out.push({ name: 'pip', args: c.args.slice(k + 2), wrappers: c.wrappers });
    }
  }
  return out;
}

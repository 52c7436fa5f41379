import type { TextSource } from './text-source.js';
import type { KnownExample, SecretRule } from './types.js';
import { shannonEntropy } from './validate.js';

interface CompiledRule {
  rule: SecretRule;
  /** The patterns with `g` and `d`: run over the whole text (file-scope rules, or the exhaustive mode). */
  global: RegExp[];
  /**
   * The patterns behind a lazy `[^\n]*?` in group 1, sticky: set at a line's start, one exec finds the
   * leftmost match that starts on that line (it may run on past it) without searching the rest of the text.
   */
  fromLine: RegExp[];
  keywords: string[];
  /** Where the patterns run (a rule without keywords runs over the whole text). */
  scope: 'line' | 'block' | 'file';
}

interface CompiledRules {
  rules: CompiledRule[];
  /**
   * Every rule's keywords in one case-insensitive alternation: one pass over the text finds where
   * keywords occur, where a search per keyword would read the text once per keyword.
   */
  keywordScan: RegExp;
  /** Each keyword with the keywords that are prefixes of it: the alternation reports only the longest at a position. */
  implied: Map<string, string[]>;
  /** The rules (by index) each keyword belongs to. */
  rulesOf: Map<string, number[]>;
}

const compiledRules = new WeakMap<readonly SecretRule[], CompiledRules>();
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const withFlags = (p: RegExp, add: string, drop = ''): string => [...new Set(`${p.flags}${add}`)].filter((f) => !drop.includes(f)).join('');

function fromLinePattern(rule: SecretRule, p: RegExp): RegExp {
  // The wrapper's group is group 1: a numbered backreference in the pattern would point at the wrong group.
  if (/(?<!\\)(?:\\\\)*\\[1-9]/.test(p.source)) throw new Error(`${rule.meta.id}: use named backreferences (\\k<name>), not numbered ones: ${p.source}`);
  return new RegExp(`[^\\n]*?(${p.source})`, withFlags(p, 'yd', 'g'));
}

function compile(rules: readonly SecretRule[]): CompiledRules {
  let out = compiledRules.get(rules);
  if (out === undefined) {
    const compiled = rules.map((rule): CompiledRule => {
      const keywords = (rule.detect.keywords ?? []).map((k) => k.toLowerCase());
      const scope = keywords.length > 0 ? rule.detect.scope ?? 'line' : 'file';
      return {
        rule,
        // `d` gives the secret group's offsets, for its line and for overlap between rules.
        global: rule.detect.patterns.map((p) => new RegExp(p.source, withFlags(p, 'gd'))),
        fromLine: scope !== 'file' ? rule.detect.patterns.map((p) => fromLinePattern(rule, p)) : [],
        keywords,
        scope,
      };
    });
    const all = [...new Set(compiled.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
    const implied = new Map(all.map((k) => [k, all.filter((p) => k.startsWith(p))]));
    const rulesOf = new Map(all.map((k) => [k, compiled.flatMap((r, i) => (r.keywords.includes(k) ? [i] : []))]));
    out = { rules: compiled, keywordScan: new RegExp(all.length ? all.map(escapeRegExp).join('|') : '(?!)', 'gi'), implied, rulesOf };
    compiledRules.set(rules, out);
  }
  return out;
}

export interface Hit {
  rule: SecretRule;
  priority: number;
  /** The secret's offsets in the text. */
  start: number;
  end: number;
  /** Where the match begins (past leading whitespace): the line reported. */
  anchor: number;
  secret: string;
  example?: KnownExample;
}

/**
 * `lines`: where the patterns run. 'keyword' (what the scanner uses): a rule's patterns are tried only
 * from the start of each line holding one of its keywords. 'all': over the whole text once any keyword
 * occurs; the same findings, slower, kept to check the first against.
 */
export interface DetectOptions {
  lines?: 'keyword' | 'all';
}

/** How far past its keyword's line a 'block' rule's match may reach when the text is read in pieces. */
export const BLOCK_REACH = 32 * 1024;

type OnMatch = (m: RegExpExecArray, base: number, start: number, whole: string) => void;

/**
 * Every rule's validated matches, then one per stretch of text: an earlier (more specific) rule wins an
 * overlap. Offsets are the source's.
 */
export function detectSecrets(source: TextSource, rules: readonly SecretRule[], options: DetectOptions = {}): Hit[] {
  const c = compile(rules);
  const exhaustive = options.lines === 'all';
  // Per rule, the start of each line holding one of its keywords, in order, once each, and its piece.
  const lineStarts: number[][] = c.rules.map(() => []);
  const linePieces: number[][] = c.rules.map(() => []);
  const seen = new Set<string>();
  const { keywordScan, implied, rulesOf } = c;
  source.pieces.forEach(({ text, offset }, pieceIndex) => {
    let lineStart = 0;
    let lineEnd = -1;
    keywordScan.lastIndex = 0;
    for (let m = keywordScan.exec(text); m !== null; m = keywordScan.exec(text)) {
      const at = m.index;
      if (at > lineEnd) {
        lineStart = offset + text.lastIndexOf('\n', at - 1) + 1;
        lineEnd = text.indexOf('\n', at);
        if (lineEnd === -1) lineEnd = text.length;
      }
      for (const k of implied.get(m[0].toLowerCase()) ?? []) {
        seen.add(k);
        for (const r of rulesOf.get(k) ?? []) {
          const starts = lineStarts[r]!;
          if (starts[starts.length - 1] !== lineStart) {
            starts.push(lineStart);
            linePieces[r]!.push(pieceIndex);
          }
        }
      }
      // One past the start, not past the end: a keyword may overlap the one just found ("_password", "pass").
      keywordScan.lastIndex = at + 1;
    }
  });
  const hits: Hit[] = [];
  c.rules.forEach(({ rule, global, fromLine, keywords, scope }, priority) => {
    const d = rule.detect;
    if (keywords.length > 0 && !keywords.some((k) => seen.has(k))) return;
    if (d.context !== undefined && !d.context.test(source.whole())) return;
    const onMatch: OnMatch = (m, base, start, whole) => {
      const secret = m.groups?.secret;
      const span = m.indices?.groups?.secret;
      if (secret === undefined || secret.length === 0 || span === undefined) return;
      if (d.minEntropy !== undefined && shannonEntropy(secret) < d.minEntropy) return;
      if (d.validate !== undefined && !d.validate({ secret, groups: { ...m.groups }, get text() { return source.whole(); } })) return;
      const anchor = base + start + (/^\s*/.exec(whole)?.[0].length ?? 0);
      hits.push({ rule, priority, start: base + span[0], end: base + span[1], anchor, secret, example: d.knownExamples?.find((e) => e.test(secret)) });
    };
    if (scope !== 'file' && !exhaustive) {
      for (const re of fromLine) scanFromLines(source, re, lineStarts[priority]!, linePieces[priority]!, scope === 'block', onMatch);
      return;
    }
    const text = source.whole();
    for (const re of global) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex++;
        onMatch(m, 0, m.index, m[0]);
      }
    }
  });
  return keepFirstPerSpan(hits);
}

/**
 * The matches a global search of the whole text would find, given that each starts on one of `starts`'
 * lines (counting a line's closing newline as its own): from each such line, the leftmost match at or
 * after the previous match's end that starts on the line, then the next one. A line is searched in its
 * piece; a block rule's match may run on past the piece, so it is searched in a window reaching
 * BLOCK_REACH past the line.
 */
function scanFromLines(source: TextSource, re: RegExp, starts: readonly number[], pieces: readonly number[], block: boolean, onMatch: OnMatch): void {
  let pos = 0;
  starts.forEach((lineStart, i) => {
    const piece = source.pieces[pieces[i]!]!;
    let lineEnd = piece.text.indexOf('\n', lineStart - piece.offset);
    lineEnd = lineEnd === -1 ? piece.offset + piece.text.length : piece.offset + lineEnd;
    const { text, offset } = block ? source.window(Math.max(0, lineStart - 1), lineEnd + 1 + BLOCK_REACH) : piece;
    for (let from = Math.max(pos, lineStart); from <= lineEnd; ) {
      re.lastIndex = from - offset;
      const m = re.exec(text);
      if (m === null) break;
      const whole = m[1]!;
      const start = m.indices![1]![0];
      onMatch(m, offset, start, whole);
      pos = offset + (whole.length === 0 ? start + 1 : start + whole.length);
      from = pos;
    }
  });
}

/** One hit per stretch of text: sorted by rule order, a hit overlapping one already kept is dropped. */
function keepFirstPerSpan(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.priority - b.priority || a.start - b.start);
  // Kept spans never overlap, so sorted by start they are sorted by end too.
  const kept: Hit[] = [];
  for (const h of hits) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start <= h.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > h.start) || (after && after.start < h.end)) continue;
    kept.splice(lo, 0, h);
  }
  return kept;
}

import type { Finding } from '../../core/finding.js';
import type { LayerRef } from '../../core/package.js';
import { compileAllowList } from './allow-list.js';
import { maskSecret, secretFingerprint } from './mask.js';
import { SECRET_RULES } from './rules.js';
import type {
  KnownExample, SecretRule, SecretScanOptions, SecretSkipReason, SecretStringEntry, SecretStringsWhere, SecretWhere,
} from './types.js';
import { shannonEntropy } from './validate.js';

/** Files over this many bytes are skipped unless the caller sets another limit. */
export const DEFAULT_MAX_SECRET_FILE_SIZE = 10 * 1024 * 1024;
/** How much of a file is looked at for NUL bytes, as git and grep do. */
export const BINARY_SNIFF_BYTES = 8192;

/** A file with a NUL byte in its first 8 KiB is taken for binary (UTF-16 text included). */
export function isProbablyBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * Why a file would not be scanned, from its size and (when already read) its first bytes; undefined
 * when it would be. Lets a caller decide before reading a large file at all.
 */
export function secretSkipReason(size: number, head?: Uint8Array, maxFileSize = DEFAULT_MAX_SECRET_FILE_SIZE): SecretSkipReason | undefined {
  if (size > maxFileSize) return 'too-large';
  if (head !== undefined && isProbablyBinary(head)) return 'binary';
  return undefined;
}

interface CompiledRule {
  rule: SecretRule;
  patterns: RegExp[];
  keywords: string[];
}

interface CompiledRules {
  rules: CompiledRule[];
  /**
   * Every rule's keywords in one case-insensitive alternation: one pass over the text finds which
   * keywords occur, where a search per keyword would read the text once per keyword.
   */
  keywordScan: RegExp;
  /** Each keyword with the keywords that are prefixes of it: the alternation reports only the longest at a position. */
  implied: Map<string, string[]>;
}

const compiledRules = new WeakMap<readonly SecretRule[], CompiledRules>();
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(rules: readonly SecretRule[]): CompiledRules {
  let out = compiledRules.get(rules);
  if (out === undefined) {
    const compiled = rules.map((rule) => ({
      rule,
      // `d` gives the secret group's offsets, for its line and for overlap between rules.
      patterns: rule.detect.patterns.map((p) => new RegExp(p.source, [...new Set(`${p.flags}gd`)].join(''))),
      keywords: (rule.detect.keywords ?? []).map((k) => k.toLowerCase()),
    }));
    const all = [...new Set(compiled.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
    const implied = new Map(all.map((k) => [k, all.filter((p) => k.startsWith(p))]));
    out = { rules: compiled, keywordScan: new RegExp(all.length ? all.map(escapeRegExp).join('|') : '(?!)', 'gi'), implied };
    compiledRules.set(rules, out);
  }
  return out;
}

interface Hit {
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

/** Every rule's validated matches, then one per stretch of text: an earlier (more specific) rule wins an overlap. */
function detect(text: string, { rules, keywordScan, implied }: CompiledRules): Hit[] {
  const seen = new Set<string>();
  keywordScan.lastIndex = 0;
  for (let m = keywordScan.exec(text); m !== null; m = keywordScan.exec(text)) {
    for (const k of implied.get(m[0].toLowerCase()) ?? []) seen.add(k);
    // One past the start, not past the end: a keyword may overlap the one just found ("_password", "pass").
    keywordScan.lastIndex = m.index + 1;
  }
  const hits: Hit[] = [];
  rules.forEach(({ rule, patterns, keywords }, priority) => {
    const d = rule.detect;
    if (keywords.length > 0 && !keywords.some((k) => seen.has(k))) return;
    if (d.context !== undefined && !d.context.test(text)) return;
    for (const re of patterns) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex++;
        const secret = m.groups?.secret;
        const span = m.indices?.groups?.secret;
        if (secret === undefined || secret.length === 0 || span === undefined) continue;
        if (d.minEntropy !== undefined && shannonEntropy(secret) < d.minEntropy) continue;
        if (d.validate !== undefined && !d.validate({ secret, groups: { ...m.groups }, text })) continue;
        const anchor = m.index + (/^\s*/.exec(m[0])?.[0].length ?? 0);
        hits.push({ rule, priority, start: span[0], end: span[1], anchor, secret, example: d.knownExamples?.find((e) => e.test(secret)) });
      }
    }
  });
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

/** 1-based line of an offset; the newline index is built only when something was found. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Place {
  target: string;
  path?: string;
  resource?: string;
  layer?: LayerRef;
}

function toFinding(hit: Hit, line: number, place: Place): Finding {
  const { meta } = hit.rule;
  const masked = maskSecret(hit.secret);
  const where = place.resource ? ` in ${place.resource}` : '';
  const note = hit.example ? ` Known example value: ${hit.example.note}; reported at LOW.` : '';
  const location: Finding['location'] = {};
  if (place.path !== undefined) location.path = place.path;
  if (place.resource !== undefined) location.resource = place.resource;
  location.line = line;
  if (place.layer !== undefined) location.layer = { ...place.layer };
  return {
    id: meta.id,
    kind: 'secret',
    severity: hit.example ? 'LOW' : meta.severity,
    stackLayer: 'image',
    target: place.target,
    location,
    title: meta.title,
    description: `${meta.title}${where}: ${masked}.${note}`,
    aliases: [...meta.aliases],
    references: [...meta.references],
    remediation: meta.remediation,
    fingerprint: secretFingerprint(meta.id, place.target, place.path ?? place.resource ?? '', line, hit.secret),
  };
}

const byLineThenId = (a: Finding, b: Finding): number =>
  (a.location.line ?? 0) - (b.location.line ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);

function scanText(text: string, place: Place, options: SecretScanOptions): Finding[] {
  const rules = options.rules ?? SECRET_RULES;
  const allow = compileAllowList(options.allowList);
  const hits = detect(text, compile(rules)).filter((h) => !allow.allows(h.rule.meta, place.path, h.secret));
  if (hits.length === 0) return [];
  const lineOf = lineIndex(text);
  return hits.map((h) => toFinding(h, lineOf(h.anchor), place)).sort(byLineThenId);
}

/**
 * Secrets in one file's contents. A file over the size limit or with a NUL byte in its first 8 KiB
 * is not scanned: it is reported through `options.onSkip` and gives no findings. Findings carry the
 * rule, the 1-based line and the layer; the secret appears only masked.
 */
export function scanSecretsInText(text: string | Buffer, where: SecretWhere, options: SecretScanOptions = {}): Finding[] {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  const binary = typeof text === 'string' ? text.slice(0, BINARY_SNIFF_BYTES).includes('\0') : isProbablyBinary(text);
  const reason: SecretSkipReason | undefined = size > (options.maxFileSize ?? DEFAULT_MAX_SECRET_FILE_SIZE) ? 'too-large' : binary ? 'binary' : undefined;
  if (reason !== undefined) {
    options.onSkip?.({ target: where.target, path: where.path, ...(where.layer ? { layer: where.layer } : {}), reason, size });
    return [];
  }
  const s = typeof text === 'string' ? text : text.toString('utf8');
  return scanText(s, { target: where.target, path: where.path, layer: where.layer }, options);
}

/**
 * Secrets in an image's configuration: ENV entries (`KEY=VALUE`), LABELs and history `created_by`.
 * Each finding's location names the entry (`ENV DB_PASSWORD`, `LABEL x`, `history[3]`) as its
 * resource; path allow-list globs do not apply to these.
 */
export function scanSecretsInStrings(entries: readonly SecretStringEntry[], where: SecretStringsWhere, options: SecretScanOptions = {}): Finding[] {
  const out: Finding[] = [];
  let historyIndex = 0;
  for (const entry of entries) {
    let key = entry.key;
    if (key === undefined && entry.source === 'env') {
      const eq = entry.value.indexOf('=');
      if (eq > 0) key = entry.value.slice(0, eq);
    }
    const text = entry.key !== undefined ? `${entry.key}=${entry.value}` : entry.value;
    const resource = entry.source === 'history' ? `history[${historyIndex++}]` : `${entry.source === 'env' ? 'ENV' : 'LABEL'} ${key ?? ''}`.trimEnd();
    const layer = entry.layer ?? where.layer;
    out.push(...scanText(text, { target: where.target, resource, ...(layer ? { layer } : {}) }, options));
  }
  return out;
}

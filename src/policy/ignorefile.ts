import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { findingIds, namesFinding } from './ids.js';
import { ignoreDocumentSchema, ignoreListSchema, utcDay, type IgnoreEntryInput } from './ignorefile-schema.js';

/** One entry of an ignore file (docs/ignorefile.md). */
export interface IgnoreEntry {
  /** Matches the finding id or any alias, case-insensitive. */
  id: string;
  /** Globs over the package purl; absent: any package. */
  purls?: string[];
  /** Globs over the finding's file path, leading slash optional; absent: any path. */
  paths?: string[];
  reason?: string;
  /** YYYY-MM-DD: the entry suppresses through the end of that day (UTC) and not after. */
  expires?: string;
  /** Line of the entry in its file, for warnings. */
  line: number;
}

export interface IgnoreRules {
  /** The file as the user named it. */
  file: string;
  entries: IgnoreEntry[];
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('E_INPUT', `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read ignore file (${code ?? (e as Error).message})`}`);
  }
}

/** Line of the deepest node that exists on `path`: a missing key is reported at its entry. */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

function describePath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function toEntry(input: IgnoreEntryInput, line: number): IgnoreEntry {
  return {
    id: input.id,
    ...(input.purls ? { purls: input.purls } : {}),
    ...(input.paths ? { paths: input.paths } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(input.expires ? { expires: input.expires } : {}),
    line,
  };
}

/** Parses an ignore file from text; `file` names it in errors. */
export function parseIgnoreFile(text: string, file: string): IgnoreRules {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line ?? 1;
    const problem = yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new BulwarkError('E_FORMAT', `${file}:${line}: invalid YAML: ${problem}`);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { file, entries: [] };
  const bare = Array.isArray(data);
  const result = bare ? ignoreListSchema.safeParse(data) : ignoreDocumentSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? `${describePath(issue.path)}: ` : '';
    const hint = issue.path.length === 0 && !bare ? ' (expected "ignores:" with a list of entries, or a bare list)' : '';
    throw new BulwarkError('E_FORMAT', `${file}:${lineOf(doc, lines, issue.path)}: ${where}${issue.message}${hint}`);
  }
  const inputs = Array.isArray(result.data) ? result.data : (result.data.ignores ?? []);
  const prefix = bare ? [] : ['ignores'];
  return { file, entries: inputs.map((input, i) => toEntry(input, lineOf(doc, lines, [...prefix, i]))) };
}

/** Reads and validates an ignore file; any problem is one BulwarkError line naming the file (and line). */
export function loadIgnoreFile(path: string): IgnoreRules {
  return parseIgnoreFile(readText(path), path);
}

/** True once the whole `expires` day (UTC) is over. */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  if (!entry.expires) return false;
  const day = utcDay(entry.expires);
  return day !== undefined && now.getTime() >= day + 24 * 60 * 60 * 1000;
}

type Matcher = (text: string) => boolean;
const compiled = new WeakMap<IgnoreEntry, { purl?: Matcher; path?: Matcher }>();

const stripSlash = (p: string): string => p.replace(/^\.?\/+/, '');

/** A purl glob written without version or qualifiers ("pkg:npm/lodash") matches every version of it. */
function purlForms(purl: string): string[] {
  const noQualifiers = purl.replace(/[?#].*$/, '');
  const at = noQualifiers.lastIndexOf('@');
  const noVersion = at > noQualifiers.lastIndexOf('/') ? noQualifiers.slice(0, at) : noQualifiers;
  return [...new Set([purl, noQualifiers, noVersion])];
}

function matchersOf(entry: IgnoreEntry): { purl?: Matcher; path?: Matcher } {
  let m = compiled.get(entry);
  if (!m) {
    m = {
      ...(entry.purls ? { purl: picomatch(entry.purls, { dot: true }) } : {}),
      ...(entry.paths ? { path: picomatch(entry.paths.map(stripSlash), { dot: true }) } : {}),
    };
    compiled.set(entry, m);
  }
  return m;
}

function globsMatch(entry: IgnoreEntry, finding: Finding): boolean {
  const { purl, path } = matchersOf(entry);
  if (purl) {
    const findingPurl = finding.vulnerability?.package.purl;
    if (!findingPurl || !purlForms(findingPurl).some((form) => purl(form))) return false;
  }
  if (path) {
    const findingPath = finding.location.path;
    if (!findingPath || !path(stripSlash(findingPath))) return false;
  }
  return true;
}

/** Whether an entry covers a finding: its id or an alias, and every glob list it has. Expiry is not checked here. */
export function entryMatches(entry: IgnoreEntry, finding: Finding): boolean {
  return namesFinding([entry.id], finding) && globsMatch(entry, finding);
}

/** Entries by lower-case id with their position, so a finding only looks at the entries naming it. */
const indexes = new WeakMap<IgnoreRules, Map<string, { entry: IgnoreEntry; position: number }[]>>();

function indexOf(rules: IgnoreRules): Map<string, { entry: IgnoreEntry; position: number }[]> {
  let index = indexes.get(rules);
  if (!index) {
    index = new Map();
    rules.entries.forEach((entry, position) => {
      const key = entry.id.trim().toLowerCase();
      const list = index!.get(key);
      if (list) list.push({ entry, position });
      else index!.set(key, [{ entry, position }]);
    });
    indexes.set(rules, index);
  }
  return index;
}

/** The first unexpired entry of these rules (in file order) that covers the finding. */
export function findIgnoreEntry(rules: IgnoreRules, finding: Finding, now: Date): IgnoreEntry | undefined {
  const index = indexOf(rules);
  let best: { entry: IgnoreEntry; position: number } | undefined;
  for (const id of findingIds(finding)) {
    for (const candidate of index.get(id) ?? []) {
      if (best && best.position < candidate.position) continue;
      if (!isExpired(candidate.entry, now) && globsMatch(candidate.entry, finding)) best = candidate;
    }
  }
  return best?.entry;
}

/** One warning per expired entry, naming the entry, file, line and date. */
export function expiryWarnings(rules: IgnoreRules, now: Date): string[] {
  return rules.entries
    .filter((entry) => isExpired(entry, now))
    .map((entry) => `${rules.file}:${entry.line}: ignore entry for ${entry.id} expired on ${entry.expires}; it no longer suppresses`);
}

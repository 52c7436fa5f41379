/**
 * Falco rule files (YAML list of `rule`, `list` and `macro` items) → compiled rules.
 *
 * Several files load as one set, in order; a later item with the same name replaces the earlier one
 * (a `- rule: X` item holding only `enabled` switches an existing rule on or off, as in Falco).
 * Macros and lists resolve after every file is read, so order does not matter. `append` and
 * `override` are rejected: copy the item and edit it instead.
 *
 * Every error is one line: "<file>:<line>: <kind> "<name>": <what is wrong>".
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import type { RuntimeEvent } from '../events.js';
import {
  ConditionError,
  compileComparison,
  compileResolved,
  eventTypesOf,
  expandListItems,
  resolveCondition,
  type CompileContext,
  type ViewPredicate,
} from './compile.js';
import { EventView, FIELDS, type FieldValue } from './fields.js';
import { ConditionSyntaxError, parseCondition, type CompareOp } from './parser.js';

/** The shipped default rules, at the package root (three levels up from src/runtime/rules and dist/runtime/rules). */
export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../../data/runtime/rules/default.yaml', import.meta.url));

export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Priority from Falco's case-insensitive spelling ("Warning", "INFO", ...), or undefined. */
export function parsePriority(raw: string): Priority | undefined {
  const up = raw.trim().toUpperCase();
  if (up === 'INFO') return 'INFORMATIONAL';
  return (PRIORITIES as readonly string[]).includes(up) ? (up as Priority) : undefined;
}

/** Lower rank = more severe (EMERGENCY 0 .. DEBUG 7). */
export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

export interface RuleSource {
  file: string;
  text: string;
}

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    /** e.g. 'rule "Terminal shell in container"', or undefined for file-level errors. */
    readonly item: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${item === undefined ? '' : `${item}: `}${reason}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'RuleLoadError';
  }
}

const COMPARE_OPS = new Set<string>([
  '=', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'in', 'intersects', 'pmatch',
]);
const LIST_COMPS = new Set<string>(['in', 'intersects', 'pmatch']);

export interface RuleException {
  name: string;
  fields: string[];
  comps: CompareOp[];
  /** One tuple per entry; an element is a value, or a list of values (list comparisons). */
  values: (string | string[])[][];
}

export interface RuleDefinition {
  name: string;
  desc: string;
  condition: string;
  output: string;
  priority: Priority;
  tags: string[];
  enabled: boolean;
  exceptions: RuleException[];
  file: string;
  line: number | undefined;
  /** Falco's skip-if-unknown-filter: a rule naming a field this engine lacks is dropped, not an error. */
  skipIfUnknownFilter: boolean;
}

export interface CompiledRule {
  readonly def: RuleDefinition;
  /** The condition with exceptions applied, on a RuntimeEvent. */
  readonly match: (ev: RuntimeEvent) => boolean;
  /** The same on an already loaded EventView (what the engine calls). */
  readonly test: ViewPredicate;
  /** Falco event types the rule can match; undefined = any. */
  readonly eventTypes: ReadonlySet<string> | undefined;
  /** The output template with every %field replaced from the event ("<NA>" when absent, as Falco). */
  readonly render: (ev: RuntimeEvent) => string;
  readonly renderView: (v: EventView) => string;
}

interface Located<T> {
  value: T;
  file: string;
  line: number | undefined;
}

interface RawSet {
  lists: Map<string, Located<string[]>>;
  macros: Map<string, Located<string>>;
  rules: Map<string, RuleDefinition>;
}

const RULE_KEYS = new Set([
  'rule', 'desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'exceptions', 'source', 'warn_evttypes',
  'skip-if-unknown-filter', 'append', 'override',
]);

function str(v: unknown): v is string {
  return typeof v === 'string';
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const x of v) {
    const s = scalarString(x);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

function parseExceptions(raw: unknown, fail: (msg: string) => never): RuleException[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail('exceptions must be a list');
  const out: RuleException[] = [];
  for (const [i, e] of (raw as unknown[]).entries()) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(`exception #${i + 1} must be a mapping`);
    const ex = e as Record<string, unknown>;
    const name = str(ex['name']) ? ex['name'] : fail(`exception #${i + 1} has no name`);
    const where = `exception "${name}"`;
    for (const k of Object.keys(ex)) if (!['name', 'fields', 'comps', 'values'].includes(k)) fail(`${where}: unknown key "${k}"`);
    const f = ex['fields'];
    const single = str(f);
    const fields = single ? [f] : (stringList(f) ?? fail(`${where}: fields must be a field name or a list of field names`));
    if (fields.length === 0) fail(`${where}: fields is empty`);
    for (const field of fields) if (!FIELDS.has(field)) fail(`${where}: unknown field "${field}"`);
    const c = ex['comps'];
    let comps: string[];
    if (c === undefined || c === null) comps = single ? ['in'] : fields.map(() => '=');
    else if (single) comps = str(c) ? [c] : fail(`${where}: with a single field, comps must be one operator`);
    else comps = stringList(c) ?? fail(`${where}: comps must be a list of operators`);
    if (comps.length !== fields.length) fail(`${where}: ${fields.length} fields but ${comps.length} comps`);
    for (const op of comps) if (!COMPARE_OPS.has(op)) fail(`${where}: unknown comparison "${op}"`);
    const v = ex['values'] ?? [];
    if (!Array.isArray(v)) fail(`${where}: values must be a list`);
    const values: (string | string[])[][] = [];
    if (single) {
      // Single-field form: values is a flat list, the whole list compared at once.
      const flat = stringList(v) ?? fail(`${where}: with a single field, values must be a list of values`);
      if (flat.length > 0 && LIST_COMPS.has(comps[0]!)) values.push([flat]);
      else for (const x of flat) values.push([x]);
    } else {
      for (const [j, tuple] of (v as unknown[]).entries()) {
        if (!Array.isArray(tuple) || tuple.length !== fields.length) {
          fail(`${where}: values entry #${j + 1} must be a list of ${fields.length} values (one per field)`);
        }
        const row: (string | string[])[] = [];
        for (const [k, el] of (tuple as unknown[]).entries()) {
          const s = scalarString(el);
          if (s !== undefined) row.push(s);
          else {
            const list = stringList(el);
            if (list === undefined || !LIST_COMPS.has(comps[k]!)) {
              fail(`${where}: values entry #${j + 1}, element #${k + 1} must be a value${LIST_COMPS.has(comps[k]!) ? ' or a list' : ''}`);
            }
            row.push(list);
          }
        }
        values.push(row);
      }
    }
    out.push({ name, fields, comps: comps as CompareOp[], values });
  }
  return out;
}

function collect(set: RawSet, source: RuleSource): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new RuleLoadError(source.file, line, undefined, `YAML: ${firstError.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || root === undefined) return;
  if (!isSeq(root)) throw new RuleLoadError(source.file, 1, undefined, 'a rules file is a YAML list of rule, list and macro items');
  for (const node of root.items) {
    const offset = (node as { range?: [number, number, number] }).range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    if (!isMap(node)) throw new RuleLoadError(source.file, line, undefined, 'each item must be a mapping (rule, list or macro)');
    const item = node.toJS(doc) as Record<string, unknown>;
    const kind = (['rule', 'list', 'macro'] as const).find((k) => k in item);
    if (kind === undefined) {
      if ('required_engine_version' in item || 'required_plugin_versions' in item) continue;
      throw new RuleLoadError(source.file, line, undefined, `unknown item (keys: ${Object.keys(item).join(', ')}); expected rule, list or macro`);
    }
    const name = scalarString(item[kind]);
    const label = `${kind} "${name ?? '?'}"`;
    const fail = (msg: string): never => {
      throw new RuleLoadError(source.file, line, label, msg);
    };
    if (name === undefined || name === '') fail(`${kind} needs a name`);
    if (item['append'] === true || 'override' in item) {
      fail(`${item['append'] === true ? 'append' : 'override'} is not supported: copy the ${kind} into your file and edit it`);
    }
    if (kind === 'list') {
      for (const k of Object.keys(item)) if (k !== 'list' && k !== 'items' && k !== 'append') fail(`unknown key "${k}"`);
      const items = item['items'] === null ? [] : stringList(item['items']) ?? fail('items must be a list of values');
      set.lists.set(name!, { value: items, file: source.file, line });
      continue;
    }
    if (kind === 'macro') {
      for (const k of Object.keys(item)) if (k !== 'macro' && k !== 'condition' && k !== 'append') fail(`unknown key "${k}"`);
      const cond = scalarString(item['condition']) ?? fail('condition is missing');
      try {
        parseCondition(cond);
      } catch (e) {
        fail(`condition: ${(e as Error).message}`);
      }
      set.macros.set(name!, { value: cond, file: source.file, line });
      continue;
    }
    for (const k of Object.keys(item)) if (!RULE_KEYS.has(k)) fail(`unknown key "${k}"`);
    const enabledItem = item['enabled'];
    if (enabledItem !== undefined && typeof enabledItem !== 'boolean') fail('enabled must be true or false');
    const enabledRaw = enabledItem as boolean | undefined;
    const existing = set.rules.get(name!);
    if (existing && Object.keys(item).every((k) => k === 'rule' || k === 'enabled')) {
      if (enabledRaw !== undefined) existing.enabled = enabledRaw;
      continue;
    }
    const source_ = item['source'];
    if (source_ !== undefined && source_ !== 'syscall') continue; // other event sources (k8s_audit, plugins) do not apply
    const condition = scalarString(item['condition']) ?? fail('condition is missing');
    const output = scalarString(item['output']) ?? fail('output is missing');
    const desc = scalarString(item['desc']) ?? fail('desc is missing');
    const priorityRaw = scalarString(item['priority']) ?? fail('priority is missing');
    const priority = parsePriority(priorityRaw) ?? fail(`priority "${priorityRaw}" is not one of ${PRIORITIES.join(', ')}`);
    const tags = item['tags'] === undefined || item['tags'] === null ? [] : stringList(item['tags']) ?? fail('tags must be a list');
    try {
      parseCondition(condition);
    } catch (e) {
      fail(`condition: ${(e as Error).message}`);
    }
    const exceptions = parseExceptions(item['exceptions'], fail);
    set.rules.set(name!, {
      name: name!,
      desc: desc.trim(),
      condition,
      output: output.trim(),
      priority,
      tags,
      enabled: enabledRaw ?? true,
      exceptions,
      file: source.file,
      line,
      skipIfUnknownFilter: item['skip-if-unknown-filter'] === true,
    });
  }
}

/** The output template → a renderer, every %field checked now. */
function compileOutput(template: string): (v: EventView) => string {
  const parts: (string | ((v: EventView) => FieldValue))[] = [];
  const re = /%([A-Za-z_][A-Za-z0-9_.]*)/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    let name = m[1]!;
    let end = m.index + m[0].length;
    while (!FIELDS.has(name) && name.endsWith('.')) {
      name = name.slice(0, -1);
      end--;
    }
    const def = FIELDS.get(name);
    if (!def) throw new ConditionError(`output: unknown field "%${name}"`, name);
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(def.get);
    last = end;
    re.lastIndex = end;
  }
  if (last < template.length) parts.push(template.slice(last));
  return (view) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = p(view);
        out += v === undefined || v === '' ? '<NA>' : String(v);
      }
    }
    return out;
  };
}

function compileExceptions(exceptions: RuleException[], ctx: CompileContext): ViewPredicate | undefined {
  const tuples: ViewPredicate[] = [];
  for (const ex of exceptions) {
    for (const row of ex.values) {
      const parts = row.map((value, k) => compileComparison(ex.fields[k]!, ex.comps[k]!, value, ctx));
      tuples.push(parts.length === 1 ? parts[0]! : (ev) => parts.every((p) => p(ev)));
    }
  }
  if (tuples.length === 0) return undefined;
  return (ev) => {
    for (let i = 0; i < tuples.length; i++) if (tuples[i]!(ev)) return true;
    return false;
  };
}

/** Parse and compile rule sources (in order) into the enabled rules; throws RuleLoadError. */
export function compileRuleSources(sources: RuleSource[]): CompiledRule[] {
  const set: RawSet = { lists: new Map(), macros: new Map(), rules: new Map() };
  for (const s of sources) collect(set, s);
  const ctx: CompileContext = {
    lists: new Map([...set.lists].map(([k, v]) => [k, v.value])),
    macros: new Map([...set.macros].map(([k, v]) => [k, v.value])),
  };
  for (const [name, l] of set.lists) {
    try {
      expandListItems([name], ctx.lists);
    } catch (e) {
      throw new RuleLoadError(l.file, l.line, `list "${name}"`, (e as Error).message);
    }
  }
  for (const [name, m] of set.macros) {
    try {
      resolveCondition({ kind: 'ref', name }, ctx);
    } catch (e) {
      throw new RuleLoadError(m.file, m.line, `macro "${name}"`, (e as Error).message);
    }
  }
  const out: CompiledRule[] = [];
  for (const def of set.rules.values()) {
    if (!def.enabled) continue;
    try {
      const resolved = resolveCondition(parseCondition(def.condition), ctx);
      const cond = compileResolved(resolved);
      const exc = compileExceptions(def.exceptions, ctx);
      const test: ViewPredicate = exc === undefined ? cond : (v) => cond(v) && !exc(v);
      const renderView = compileOutput(def.output);
      const view = new EventView();
      out.push({
        def,
        test,
        match: (ev) => test(view.load(ev)),
        eventTypes: eventTypesOf(resolved),
        renderView,
        render: (ev) => renderView(view.load(ev)),
      });
    } catch (e) {
      if (e instanceof ConditionError && e.field !== undefined && def.skipIfUnknownFilter) continue;
      const msg = e instanceof ConditionSyntaxError ? `condition: ${e.message}` : (e as Error).message;
      throw new RuleLoadError(def.file, def.line, `rule "${def.name}"`, msg);
    }
  }
  return out;
}

/** Read and compile rule files (in order). Throws RuleLoadError (unreadable files too). */
export async function loadRuleFiles(paths: string[]): Promise<CompiledRule[]> {
  const sources: RuleSource[] = [];
  for (const file of paths) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new RuleLoadError(file, undefined, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    sources.push({ file, text });
  }
  return compileRuleSources(sources);
}

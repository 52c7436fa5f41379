/**
 * Condition AST → one closure per rule, built once at load time: macros are inlined, list names
 * expanded (nested lists too), right-hand values converted to the field's type, `in` turned into a
 * Set, pmatch into a prefix table. Evaluating an event is then plain function calls, no interpretation.
 */
import type { RuntimeEvent } from '../events.js';
import { EventView, FIELDS, KNOWN_FALCO_EVENT_TYPES, type FieldDef, type FieldValue } from './fields.js';
import { parseCondition, type BinaryOp, type CondNode, type ListOp } from './parser.js';

/** A compiled condition over the flattened event (see EventView). */
export type ViewPredicate = (v: EventView) => boolean;
/** A compiled condition over a RuntimeEvent. */
export type Predicate = (ev: RuntimeEvent) => boolean;

/** Thrown for semantic errors (unknown field, macro cycle, bad value); the loader adds file and item. */
export class ConditionError extends Error {
  constructor(
    message: string,
    /** The unknown field's name, when that is the error. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ConditionError';
  }
}

export interface CompileContext {
  /** list name → items (items may name other lists). */
  lists: ReadonlyMap<string, readonly string[]>;
  /** macro name → condition text. */
  macros: ReadonlyMap<string, string>;
}

const EMPTY_CONTEXT: CompileContext = { lists: new Map(), macros: new Map() };

/** Expand list names inside a list's items, recursively, with cycle detection. */
export function expandListItems(items: readonly string[], lists: CompileContext['lists'], stack: string[] = []): string[] {
  const out: string[] = [];
  for (const item of items) {
    const nested = lists.get(item);
    if (nested === undefined) {
      out.push(item);
      continue;
    }
    if (stack.includes(item)) throw new ConditionError(`list cycle: ${[...stack, item].join(' -> ')}`);
    out.push(...expandListItems(nested, lists, [...stack, item]));
  }
  return out;
}

function fieldDef(name: string): FieldDef {
  const def = FIELDS.get(name);
  if (!def) throw new ConditionError(`unknown field "${name}"`, name);
  return def;
}

function toNumber(field: FieldDef, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new ConditionError(`${field.name} is numeric, "${raw}" is not a number`);
  return n;
}

function toBool(field: FieldDef, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConditionError(`${field.name} is true or false, not "${raw}"`);
}

/** Glob → RegExp: `*` and `?` never cross "/", `[...]` classes as in fnmatch. */
export function globToRegExp(glob: string, flags = ''): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`${re}$`, flags);
}

const GLOB_CHARS = /[*?[]/;

/**
 * pmatch: true when one of the prefixes is the path itself or a whole-component prefix of it
 * ("/usr" matches "/usr" and "/usr/bin/x", never "/usrx"). Prefixes may hold globs, each component
 * matched against one path component.
 */
function pmatchMatcher(prefixes: string[]): (path: string) => boolean {
  const plain = new Set<string>();
  const globbed: RegExp[][] = [];
  for (const raw of prefixes) {
    const p = raw.length > 1 && raw.endsWith('/') ? raw.replace(/\/+$/, '') : raw;
    if (GLOB_CHARS.test(p)) globbed.push(p.split('/').map((c) => globToRegExp(c)));
    else plain.add(p);
  }
  const hasRoot = plain.has('/');
  return (path: string): boolean => {
    if (hasRoot && path.startsWith('/')) return true;
    if (plain.has(path)) return true;
    // Walk the path's own "/" boundaries: each is a candidate whole-component prefix.
    for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
      if (plain.has(path.slice(0, i))) return true;
    }
    if (globbed.length > 0) {
      const parts = path.split('/');
      outer: for (const g of globbed) {
        if (g.length > parts.length) continue;
        for (let k = 0; k < g.length; k++) if (!g[k]!.test(parts[k]!)) continue outer;
        return true;
      }
    }
    return false;
  };
}

function compileCmp(def: FieldDef, op: BinaryOp, raw: string): ViewPredicate {
  const get = def.get;
  if (def.kind === 'number') {
    if (op !== '=' && op !== '!=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') {
      throw new ConditionError(`operator "${op}" does not apply to the numeric field ${def.name}`);
    }
    const v = toNumber(def, raw);
    switch (op) {
      case '=':
        return (ev) => get(ev) === v;
      case '!=':
        return (ev) => {
          const x = get(ev);
          return x !== undefined && x !== v;
        };
      case '<':
        return (ev) => (get(ev) as number) < v;
      case '<=':
        return (ev) => (get(ev) as number) <= v;
      case '>':
        return (ev) => (get(ev) as number) > v;
      case '>=':
        return (ev) => (get(ev) as number) >= v;
    }
  }
  if (def.kind === 'bool') {
    if (op !== '=' && op !== '!=') throw new ConditionError(`operator "${op}" does not apply to the boolean field ${def.name}`);
    const v = toBool(def, raw);
    return op === '=' ? (ev) => get(ev) === v : (ev) => get(ev) === !v;
  }
  const g = get as (v: EventView) => string | undefined;
  switch (op) {
    case '=':
      return (ev) => g(ev) === raw;
    case '!=':
      return (ev) => {
        const x = g(ev);
        return x !== undefined && x !== raw;
      };
    case '<':
    case '<=':
    case '>':
    case '>=':
      throw new ConditionError(`operator "${op}" needs a numeric field, ${def.name} is a string`);
    case 'contains':
      return (ev) => {
        const x = g(ev);
        return x !== undefined && x.includes(raw);
      };
    case 'icontains': {
      const low = raw.toLowerCase();
      return (ev) => {
        const x = g(ev);
        return x !== undefined && x.toLowerCase().includes(low);
      };
    }
    case 'startswith':
      return (ev) => {
        const x = g(ev);
        return x !== undefined && x.startsWith(raw);
      };
    case 'endswith':
      return (ev) => {
        const x = g(ev);
        return x !== undefined && x.endsWith(raw);
      };
    case 'glob':
    case 'iglob': {
      const re = globToRegExp(raw, op === 'iglob' ? 'i' : '');
      return (ev) => {
        const x = g(ev);
        return x !== undefined && re.test(x);
      };
    }
  }
}

function compileList(def: FieldDef, op: ListOp, items: string[]): ViewPredicate {
  const get = def.get;
  if (op === 'pmatch') {
    if (def.kind !== 'string') throw new ConditionError(`pmatch needs a string field, ${def.name} is ${def.kind}`);
    const m = pmatchMatcher(items);
    return (ev) => {
      const x = get(ev) as string | undefined;
      return x !== undefined && m(x);
    };
  }
  // in / intersects (every field here is single-valued, so intersects is in).
  const values: FieldValue[] =
    def.kind === 'number' ? items.map((i) => toNumber(def, i)) : def.kind === 'bool' ? items.map((i) => toBool(def, i)) : items;
  if (values.length === 1) {
    const v = values[0];
    return (ev) => get(ev) === v;
  }
  const set = new Set<FieldValue>(values);
  return (ev) => {
    const x = get(ev);
    return x !== undefined && set.has(x);
  };
}

function all(items: ViewPredicate[]): ViewPredicate {
  if (items.length === 1) return items[0]!;
  if (items.length === 2) {
    const [a, b] = items as [ViewPredicate, ViewPredicate];
    return (ev) => a(ev) && b(ev);
  }
  if (items.length === 3) {
    const [a, b, c] = items as [ViewPredicate, ViewPredicate, ViewPredicate];
    return (ev) => a(ev) && b(ev) && c(ev);
  }
  return (ev) => {
    for (let i = 0; i < items.length; i++) if (!items[i]!(ev)) return false;
    return true;
  };
}

function any(items: ViewPredicate[]): ViewPredicate {
  if (items.length === 1) return items[0]!;
  if (items.length === 2) {
    const [a, b] = items as [ViewPredicate, ViewPredicate];
    return (ev) => a(ev) || b(ev);
  }
  return (ev) => {
    for (let i = 0; i < items.length; i++) if (items[i]!(ev)) return true;
    return false;
  };
}

/** Inline macros (cycle-checked) and expand list names; returns an AST of fields only. */
export function resolveCondition(node: CondNode, ctx: CompileContext, macroStack: string[] = []): CondNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, items: node.items.map((n) => resolveCondition(n, ctx, macroStack)) };
    case 'not':
      return { kind: 'not', item: resolveCondition(node.item, ctx, macroStack) };
    case 'exists':
    case 'cmp':
      fieldDef(node.field);
      return node;
    case 'list':
      fieldDef(node.field);
      return { ...node, items: expandListItems(node.items, ctx.lists) };
    case 'ref': {
      const text = ctx.macros.get(node.name);
      if (text === undefined) {
        if (FIELDS.has(node.name)) throw new ConditionError(`field "${node.name}" needs an operator`);
        if (node.name.includes('.')) throw new ConditionError(`unknown field "${node.name}"`, node.name);
        throw new ConditionError(`unknown macro "${node.name}"`);
      }
      if (macroStack.includes(node.name)) throw new ConditionError(`macro cycle: ${[...macroStack, node.name].join(' -> ')}`);
      let parsed: CondNode;
      try {
        parsed = parseCondition(text);
      } catch (e) {
        throw new ConditionError(`in macro "${node.name}": ${(e as Error).message}`);
      }
      return resolveCondition(parsed, ctx, [...macroStack, node.name]);
    }
  }
}

/** A resolved AST (see resolveCondition) → one predicate. */
export function compileResolved(node: CondNode): ViewPredicate {
  switch (node.kind) {
    case 'and':
      return all(node.items.map(compileResolved));
    case 'or':
      return any(node.items.map(compileResolved));
    case 'not': {
      const inner = compileResolved(node.item);
      return (ev) => !inner(ev);
    }
    case 'exists': {
      const get = fieldDef(node.field).get;
      return (ev) => get(ev) !== undefined;
    }
    case 'cmp':
      return compileCmp(fieldDef(node.field), node.op, node.value);
    case 'list':
      return compileList(fieldDef(node.field), node.op, node.items);
    case 'ref':
      throw new ConditionError(`unresolved macro "${node.name}"`);
  }
}

/** Build a single comparison predicate (used by exceptions). */
export function compileComparison(field: string, op: BinaryOp | ListOp, value: string | string[], ctx: CompileContext): ViewPredicate {
  const def = fieldDef(field);
  if (op === 'in' || op === 'intersects' || op === 'pmatch') {
    const items = typeof value === 'string' ? [value] : value;
    return compileList(def, op, expandListItems(items, ctx.lists));
  }
  if (typeof value !== 'string') throw new ConditionError(`operator "${op}" takes one value, not a list`);
  return compileCmp(def, op, value);
}

/**
 * The Falco event types a resolved condition can match, or undefined for "any": lets the engine skip
 * rules by event type before evaluating anything (as Falco's ruleset indexes rules by evt.type).
 */
export function eventTypesOf(node: CondNode): Set<string> | undefined {
  switch (node.kind) {
    case 'cmp':
      if (node.field === 'evt.type' && node.op === '=') return new Set([node.value]);
      return undefined;
    case 'list':
      if (node.field === 'evt.type' && node.op !== 'pmatch') return new Set(node.items);
      return undefined;
    case 'and': {
      let acc: Set<string> | undefined;
      for (const item of node.items) {
        const s = eventTypesOf(item);
        if (s === undefined) continue;
        acc = acc === undefined ? s : new Set([...acc].filter((t) => s.has(t)));
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<string>();
      for (const item of node.items) {
        const s = eventTypesOf(item);
        if (s === undefined) return undefined;
        for (const t of s) acc.add(t);
      }
      return acc;
    }
    default:
      return undefined;
  }
}

/** Event types named in a resolved condition that no RuntimeEvent ever carries (for warnings). */
export function unknownEventTypes(types: Set<string> | undefined): string[] {
  return types === undefined ? [] : [...types].filter((t) => !KNOWN_FALCO_EVENT_TYPES.has(t));
}

/** Parse, resolve and compile one condition (tests and ad-hoc filters). */
export function compileCondition(text: string, ctx: CompileContext = EMPTY_CONTEXT): Predicate {
  const test = compileResolved(resolveCondition(parseCondition(text), ctx));
  const view = new EventView();
  return (ev) => test(view.load(ev));
}

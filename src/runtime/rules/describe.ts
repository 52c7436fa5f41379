/**
 * A read-only description of a loaded rule set (rules, lists, macros and what each rule uses), for the
 * generated reference page docs/runtime-rules.md. Rules come from the real loader (compileRuleSources),
 * so only rules that load and are enabled are described; lists and macros are read from the same YAML
 * with the loader's "last definition wins" order.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import { FALCO_EVENT_TYPE } from './fields.js';
import { compileRuleSources, type RuleDefinition, type RuleSource } from './load.js';
import { parseCondition, type CondNode } from './parser.js';

export interface ListDescription {
  name: string;
  items: string[];
  file: string;
}

export interface MacroDescription {
  name: string;
  condition: string;
  file: string;
}

export interface RuleDescription {
  def: RuleDefinition;
  /** Macros the condition uses, directly or through other macros, in order of first use. */
  macros: string[];
  /** Lists the condition and the exceptions use, nested lists included, in order of first use. */
  lists: string[];
  /** Fields the condition (macros included) tests. */
  conditionFields: string[];
  /** Fields the condition, the exceptions and the output read. */
  fields: string[];
  /** Falco event types the rule can match (sorted); undefined = any. */
  eventTypes: string[] | undefined;
}

export interface RuleSetDescription {
  rules: RuleDescription[];
  lists: Map<string, ListDescription>;
  macros: Map<string, MacroDescription>;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Describe rule sources loaded in order (throws RuleLoadError as the loader does). */
export function describeRuleSources(sources: RuleSource[]): RuleSetDescription {
  const compiled = compileRuleSources(sources);
  const lists = new Map<string, ListDescription>();
  const macros = new Map<string, MacroDescription>();
  for (const s of sources) {
    const doc = parseDocument(s.text);
    const root = doc.contents;
    if (!isSeq(root)) continue;
    for (const node of root.items) {
      if (!isMap(node)) continue;
      const item = node.toJS(doc) as Record<string, unknown>;
      if ('rule' in item) continue;
      const list = scalar(item['list']);
      if (list !== undefined) {
        const items = Array.isArray(item['items']) ? (item['items'] as unknown[]).map((x) => scalar(x) ?? '') : [];
        lists.set(list, { name: list, items, file: s.file });
      }
      const macro = scalar(item['macro']);
      if (macro !== undefined) macros.set(macro, { name: macro, condition: scalar(item['condition']) ?? '', file: s.file });
    }
  }
  const rules = compiled.map((r): RuleDescription => {
    const usedMacros: string[] = [];
    const usedLists: string[] = [];
    const fields: string[] = [];
    const addField = (f: string): void => void (fields.includes(f) || fields.push(f));
    const addLists = (items: readonly string[]): void => {
      for (const i of items) {
        const l = lists.get(i);
        if (l === undefined || usedLists.includes(i)) continue;
        usedLists.push(i);
        addLists(l.items);
      }
    };
    const walk = (n: CondNode): void => {
      switch (n.kind) {
        case 'and':
        case 'or':
          n.items.forEach(walk);
          return;
        case 'not':
          walk(n.item);
          return;
        case 'exists':
        case 'cmp':
          addField(n.field);
          return;
        case 'list':
          addField(n.field);
          addLists(n.items);
          return;
        case 'ref': {
          const m = macros.get(n.name);
          if (m === undefined) return;
          if (!usedMacros.includes(n.name)) usedMacros.push(n.name);
          walk(parseCondition(m.condition));
        }
      }
    };
    walk(parseCondition(r.def.condition));
    const conditionFields = [...fields];
    for (const ex of r.def.exceptions) {
      ex.fields.forEach(addField);
      for (const row of ex.values) for (const v of row) addLists(typeof v === 'string' ? [v] : v);
    }
    for (const m of r.def.output.matchAll(/%([A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_])/g)) addField(m[1]!);
    return { def: r.def, macros: usedMacros, conditionFields, lists: usedLists, fields, eventTypes: r.eventTypes === undefined ? undefined : [...r.eventTypes].sort() };
  });
  return { rules, lists, macros };
}

/** Falco event type → our RuntimeEvent types that carry it. */
export function runtimeTypesOf(falcoType: string): string[] {
  return Object.entries(FALCO_EVENT_TYPE)
    .filter(([, f]) => f === falcoType)
    .map(([t]) => t);
}

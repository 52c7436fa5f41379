import { Composer, LineCounter, Parser, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { K8sObject } from './types.js';

/** Files larger than this are not parsed (a manifest set is text; tens of megabytes is a mistake or an attack). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Alias expansions allowed per document before it is treated as an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 1000;

export interface LoadOptions {
  maxBytes?: number;
  maxAliasCount?: number;
}

export interface LoadResult {
  objects: K8sObject[];
  /** "<file>:<line>: <message>" for each document that could not be read; the others are still returned. */
  warnings: string[];
}

type Path = readonly (string | number)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/**
 * The line of every field and item of one object, by path ("spec\0containers\00\0image"), taken from the
 * YAML tree once. Rules ask for lines long after parsing; keeping this flat index instead of the tree keeps
 * a large manifest set's memory near the size of its values.
 */
function indexLines(root: unknown, counter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (node: unknown, prefix: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = `${prefix}${String(pair.key.value)}`;
        const at = startOf(pair.key) ?? startOf(pair.value);
        if (at !== undefined && !lines.has(key)) lines.set(key, counter.linePos(at).line);
        visit(pair.value, `${key}\0`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const key = `${prefix}${i}`;
        const at = startOf(item);
        if (at !== undefined) lines.set(key, counter.linePos(at).line);
        visit(item, `${key}\0`);
      });
    }
  };
  visit(root, '');
  return lines;
}

/** Line of a field path: of the field, or of its nearest ancestor present in the file, or of the object. */
function makeLineOf(root: unknown, counter: LineCounter, objectLine: number): (path: Path) => number | undefined {
  const lines = indexLines(root, counter);
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const line = lines.get(path.slice(0, n).join('\0'));
      if (line !== undefined) return line;
    }
    return objectLine;
  };
}

function messageOf(e: { message: string }): string {
  return e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * Reads Kubernetes objects from one manifest file: multi-document YAML (plain, `helm template` output,
 * `kubectl get -o yaml` snapshots) or JSON. `List` kinds are expanded into their items. A document that
 * cannot be read becomes a warning and the other documents are still returned.
 */
export function loadManifests(path: string, text: string, options: LoadOptions = {}): LoadResult {
  const objects: K8sObject[] = [];
  const warnings: string[] = [];
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    warnings.push(`${path}: file is ${size} bytes, over the ${maxBytes}-byte manifest limit; not read`);
    return { objects, warnings };
  }
  const counter = new LineCounter();
  // YAML 1.1 as Kubernetes' own reader (sigs.k8s.io/yaml over go-yaml) understands it: `yes`/`on` are booleans.
  // Documents are composed one at a time, so only one syntax tree is alive however long the stream is.
  const docs = new Composer({ version: '1.1' }).compose(new Parser(counter.addNewLine).parse(text));
  const lineOfOffset = (offset: number | undefined): number => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const doc of docs) {
    const docLine = lineOfOffset(startOf(doc.contents) ?? doc.range[0]);
    const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? lineOfOffset(e.pos[0]);
      warnings.push(`${path}:${line}: ${messageOf(e)}${fatal.includes(e) ? '; document skipped' : ''}`);
    }
    if (fatal.length > 0) continue;
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? MAX_ALIAS_COUNT });
    } catch (e) {
      warnings.push(`${path}:${docLine}: ${(e as Error).message.split('\n')[0]} (YAML alias expansion limit); document skipped`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      warnings.push(`${path}:${docLine}: document is not a mapping; skipped`);
      continue;
    }
    const kind = value.kind;
    const items = value.items;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
      const itemsNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      items.forEach((item, i) => {
        const node = isSeq(itemsNode) ? itemsNode.items[i] : undefined;
        const line = lineOfOffset(startOf(node) ?? startOf(doc.contents));
        if (!isRecord(item)) {
          warnings.push(`${path}:${line}: ${kind} item ${i} is not a mapping; skipped`);
          return;
        }
        // Typed lists (PodList, ...) may leave apiVersion and kind out of their items.
        const filled = { ...item };
        if (filled.kind === undefined && itemKind) filled.kind = itemKind;
        if (filled.apiVersion === undefined && itemKind && typeof value.apiVersion === 'string') filled.apiVersion = value.apiVersion;
        const obj = toObject(path, filled, line, makeLineOf(node, counter, line));
        if (typeof obj === 'string') warnings.push(`${path}:${line}: ${kind} item ${i}: ${obj}`);
        else objects.push(obj);
      });
      continue;
    }
    const obj = toObject(path, value, docLine, makeLineOf(doc.contents, counter, docLine));
    if (typeof obj === 'string') warnings.push(`${path}:${docLine}: ${obj}`);
    else objects.push(obj);
  }
  return { objects, warnings };
}

function toObject(path: string, value: Record<string, unknown>, line: number, lineOf: (p: Path) => number | undefined): K8sObject | string {
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    return 'document has no apiVersion/kind; skipped';
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '';
  const obj: K8sObject = { apiVersion, kind, name, value, source: { kind: 'file', path, line, lineOf } };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') obj.namespace = metadata.namespace;
  return obj;
}

import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
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

/** The child node at one path segment, or undefined; for a map also the node where the key sits (its line is the field's line). */
function child(node: unknown, seg: string | number): { value: unknown; at: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(seg)) return { value: pair.value, at: pair.key ?? pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined || item === null ? undefined : { value: item, at: item };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function makeLineOf(root: unknown, counter: LineCounter, objectLine: number): (path: Path) => number | undefined {
  const lineAt = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : counter.linePos(offset).line);
  return (path) => {
    let node: unknown = root;
    let line = objectLine;
    for (const seg of path) {
      const next = child(node, seg);
      if (!next) break;
      line = lineAt(startOf(next.at)) ?? line;
      node = next.value;
    }
    return line;
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
  const docs = parseAllDocuments(text, { lineCounter: counter, version: '1.1', prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An empty stream comes back as an EmptyStream (no documents).
    return { objects, warnings };
  }
  const lineOfOffset = (offset: number | undefined): number => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const doc of list) {
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
      const itemsNode = child(doc.contents, 'items')?.value;
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

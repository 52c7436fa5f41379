import { readFileSync } from 'node:fs';
import type { ZodIssue } from 'zod';
import { BulwarkError } from '../core/errors.js';
import {
  cdxDocumentSchema,
  openVexDocumentSchema,
  type CdxComponent,
  type OpenVexProduct,
  type OpenVexStatement,
  type OpenVexSubcomponent,
} from './vex-schema.js';

/** Something a statement is about: a package purl, or the scanned image with some of its packages. */
export interface VexProduct {
  /** Identifiers of the product: a purl, an image reference or digest (`@id` and `identifiers.purl`). */
  ids: string[];
  /** Identifiers (purls) of the packages inside the product the statement is about; empty: the product itself. */
  subcomponents: string[][];
}

/** One VEX statement, whichever format it came from. */
export interface VexStatement {
  /** The vulnerability's id as the statement names it, and its aliases. */
  ids: string[];
  products: VexProduct[];
  /** The status as written: OpenVEX status or CycloneDX analysis state. */
  status: string;
  /** True for OpenVEX not_affected/fixed and CycloneDX not_affected/false_positive/resolved(_with_pedigree). */
  suppresses: boolean;
  justification?: string;
  /** OpenVEX impact_statement, CycloneDX analysis.detail. */
  detail?: string;
  /** Milliseconds since the epoch: when the statement was made or last updated; undefined if the document does not say. */
  timestamp?: number;
  /** Where in its file, e.g. "statements[2]", for messages. */
  where: string;
}

export interface VexDocument {
  file: string;
  format: 'openvex' | 'cyclonedx';
  statements: VexStatement[];
  /** Statements or references that cannot apply to anything (no products, unresolvable refs). */
  warnings: string[];
}

const OPENVEX_SUPPRESSING = new Set(['not_affected', 'fixed']);
const CDX_SUPPRESSING = new Set(['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree']);

function fail(file: string, problem: string): never {
  throw new BulwarkError('E_FORMAT', `${file}: ${problem}`);
}

function describeIssue(issue: ZodIssue): string {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return path ? `${path}: ${issue.message}` : issue.message;
}

const time = (...candidates: (string | undefined)[]): number | undefined => {
  const first = candidates.find((c) => c !== undefined);
  return first === undefined ? undefined : Date.parse(first);
};

/** "https://nvd.nist.gov/vuln/detail/CVE-2023-1234" also answers to its last path segment. */
function idForms(id: string): string[] {
  const trimmed = id.trim();
  const last = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed.replace(/[?#].*$/, '').split('/').filter(Boolean).at(-1) : undefined;
  return last && last !== trimmed ? [trimmed, last] : [trimmed];
}

function componentIds(item: OpenVexProduct | OpenVexSubcomponent): string[] {
  if (typeof item === 'string') return [item];
  return [item['@id'], item.identifiers?.purl].filter((x): x is string => !!x?.trim());
}

function fromOpenVex(file: string, data: ReturnType<typeof openVexDocumentSchema.parse>): VexDocument {
  const warnings: string[] = [];
  const statements = data.statements.map((s: OpenVexStatement, i): VexStatement => {
    const where = `statements[${i}]`;
    const v = s.vulnerability;
    const ids = typeof v === 'string' ? idForms(v) : [...(v.name ? idForms(v.name) : []), ...(v['@id'] ? idForms(v['@id']) : []), ...(v.aliases ?? [])];
    const products = (s.products ?? []).map((p) => ({
      ids: componentIds(p),
      subcomponents: typeof p === 'string' ? [] : (p.subcomponents ?? []).map(componentIds).filter((c) => c.length > 0),
    }));
    if (products.length === 0) warnings.push(`${file}: ${where} names no products; it applies to nothing`);
    return {
      ids: [...new Set(ids)],
      products,
      status: s.status,
      suppresses: OPENVEX_SUPPRESSING.has(s.status),
      ...(s.justification ? { justification: s.justification } : {}),
      ...(s.impact_statement ? { detail: s.impact_statement } : {}),
      ...withTimestamp(time(s.last_updated, s.timestamp, data.last_updated, data.timestamp)),
      where,
    };
  });
  return { file, format: 'openvex', statements, warnings };
}

function withTimestamp(t: number | undefined): { timestamp?: number } {
  return t === undefined ? {} : { timestamp: t };
}

function indexComponents(components: CdxComponent[], into: Map<string, string | undefined>): void {
  for (const c of components) {
    if (c['bom-ref']) into.set(c['bom-ref'], c.purl);
    if (c.components) indexComponents(c.components, into);
  }
}

/**
 * An `affects` ref is a bom-ref of a component in the same BOM, a purl, or a BOM-Link
 * (urn:cdx:serial/version#bom-ref) whose fragment is a purl. Undefined when it names no purl.
 */
function resolveRef(ref: string, bomRefs: Map<string, string | undefined>): string | undefined {
  if (bomRefs.has(ref)) return bomRefs.get(ref);
  if (ref.startsWith('pkg:')) return ref;
  const hash = ref.indexOf('#');
  if (ref.startsWith('urn:cdx:') && hash >= 0) {
    const fragment = decodeURIComponent(ref.slice(hash + 1));
    if (fragment.startsWith('pkg:')) return fragment;
  }
  return undefined;
}

function fromCycloneDx(file: string, data: ReturnType<typeof cdxDocumentSchema.parse>): VexDocument {
  const bomRefs = new Map<string, string | undefined>();
  indexComponents([...(data.metadata?.component ? [data.metadata.component] : []), ...(data.components ?? [])], bomRefs);
  const warnings: string[] = [];
  const statements: VexStatement[] = [];
  (data.vulnerabilities ?? []).forEach((v, i) => {
    const where = `vulnerabilities[${i}]`;
    const state = v.analysis?.state;
    if (!state) return; // no analysis: nothing stated
    const products: VexProduct[] = [];
    (v.affects ?? []).forEach((a, j) => {
      const purl = resolveRef(a.ref, bomRefs);
      if (!purl) {
        warnings.push(`${file}: ${where}.affects[${j}] ref "${a.ref}" names no component with a purl; ignored`);
        return;
      }
      // A versions list narrows the ref to those exact versions; ranges are not evaluated (never suppress on a guess).
      const versions = a.versions?.map((x) => x.version).filter((x): x is string => !!x);
      if (a.versions && !versions?.length) {
        warnings.push(`${file}: ${where}.affects[${j}] gives only version ranges, which are not evaluated; ignored`);
        return;
      }
      const base = purl.replace(/[?#].*$/, '');
      const at = base.lastIndexOf('@');
      const unversioned = at > base.lastIndexOf('/') ? purl.slice(0, at) + purl.slice(base.length) : purl;
      for (const id of versions ? versions.map((ver) => withVersion(unversioned, ver)) : [purl]) products.push({ ids: [id], subcomponents: [] });
    });
    if (products.length === 0) warnings.push(`${file}: ${where} affects no resolvable component; it applies to nothing`);
    statements.push({
      ids: [...new Set([v.id, ...(v.references ?? []).map((r) => r.id)].map((x) => x.trim()).filter(Boolean))],
      products,
      status: state,
      suppresses: CDX_SUPPRESSING.has(state),
      ...(v.analysis?.justification ? { justification: v.analysis.justification } : {}),
      ...(v.analysis?.detail ? { detail: v.analysis.detail } : {}),
      ...withTimestamp(time(v.analysis?.lastUpdated, v.analysis?.firstIssued, data.metadata?.timestamp)),
      where,
    });
  });
  return { file, format: 'cyclonedx', statements, warnings };
}

/** Inserts a version into an unversioned purl, before any qualifiers or subpath. */
function withVersion(purl: string, version: string): string {
  const cut = purl.search(/[?#]/);
  const head = cut < 0 ? purl : purl.slice(0, cut);
  const tail = cut < 0 ? '' : purl.slice(cut);
  return `${head}@${encodeURIComponent(version)}${tail}`;
}

/** Parses an OpenVEX or CycloneDX VEX document (JSON); `file` names it in errors. */
export function parseVex(text: string, file: string): VexDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(file, 'expected an OpenVEX or CycloneDX VEX JSON object');
  const record = data as Record<string, unknown>;
  if ('@context' in record) {
    const parsed = openVexDocumentSchema.safeParse(record);
    if (!parsed.success) fail(file, `not a valid OpenVEX document: ${describeIssue(parsed.error.issues[0]!)}`);
    return fromOpenVex(file, parsed.data);
  }
  if ('bomFormat' in record) {
    const parsed = cdxDocumentSchema.safeParse(record);
    if (!parsed.success) fail(file, `not a valid CycloneDX VEX document: ${describeIssue(parsed.error.issues[0]!)}`);
    return fromCycloneDx(file, parsed.data);
  }
  fail(file, 'neither OpenVEX (no "@context") nor CycloneDX (no "bomFormat")');
}

/** Reads a VEX document; any problem is one BulwarkError line naming the file. */
export function loadVex(path: string): VexDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('E_INPUT', `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read VEX document (${code ?? (e as Error).message})`}`);
  }
  return parseVex(text, path);
}

import { PackageURL } from 'packageurl-js';
import type { Finding } from '../core/finding.js';
import { parseReference } from '../core/image-reference.js';
import { findingIds } from './ids.js';
import type { VexDocument, VexProduct, VexStatement } from './vex.js';

// Statement and package purls recur across findings; parsing each once keeps matching linear.
const parsedPurls = new Map<string, PackageURL | undefined>();

function parsePurl(text: string): PackageURL | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  if (parsedPurls.has(text)) return parsedPurls.get(text);
  let purl: PackageURL | undefined;
  try {
    purl = PackageURL.fromString(text);
  } catch {
    purl = undefined;
  }
  if (parsedPurls.size > 50_000) parsedPurls.clear();
  parsedPurls.set(text, purl);
  return purl;
}

/**
 * Whether a statement's purl covers a package's purl: same type, namespace and name; a statement without a
 * version covers every version; qualifiers and subpath count only when the statement gives them.
 */
export function purlCovers(statementPurl: string, packagePurl: string): boolean {
  const want = parsePurl(statementPurl);
  const have = parsePurl(packagePurl);
  if (!want || !have) return false;
  if (want.type.toLowerCase() !== have.type.toLowerCase()) return false;
  if ((want.namespace ?? '') !== (have.namespace ?? '') || want.name !== have.name) return false;
  if (want.version && want.version !== have.version) return false;
  for (const [key, value] of Object.entries(want.qualifiers ?? {})) {
    if (have.qualifiers?.[key] !== value) return false;
  }
  return !want.subpath || want.subpath === have.subpath;
}

const DIGEST = /^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$/;

export interface TargetIdentity {
  /** Names exactly as given (an archive path matches only itself). */
  names: Set<string>;
  digests: Set<string>;
  /** registry/repository:tag of every name that parses as an image reference. */
  tagged: Set<string>;
  repositories: Set<string>;
}

function parsedReference(text: string): ReturnType<typeof parseReference> | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

/** Everything the scanned target answers to: its reference, other tags, repo digests, manifest digest, image ID. */
export function targetIdentity(names: string[]): TargetIdentity {
  const identity: TargetIdentity = { names: new Set(), digests: new Set(), tagged: new Set(), repositories: new Set() };
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    identity.names.add(name);
    if (DIGEST.test(name)) {
      identity.digests.add(name);
      continue;
    }
    const ref = parsedReference(name);
    if (!ref) continue;
    const repository = `${ref.registry}/${ref.repository}`;
    identity.repositories.add(repository);
    if (ref.digest) identity.digests.add(ref.digest);
    if (ref.tag) identity.tagged.add(`${repository}:${ref.tag}`);
  }
  return identity;
}

/**
 * Whether a product id names the scanned target: a pkg:oci purl (by digest, else by repository_url and
 * tag), a bare digest, or an image reference (by digest when it has one, else by repository and tag).
 */
function namesTarget(productId: string, target: TargetIdentity): boolean {
  const id = productId.trim();
  if (target.names.has(id)) return true;
  if (DIGEST.test(id)) return target.digests.has(id);
  const purl = parsePurl(id);
  if (purl) {
    if (purl.type !== 'oci') return false;
    if (purl.version) return target.digests.has(purl.version);
    const repositoryUrl = purl.qualifiers?.['repository_url'];
    const ref = repositoryUrl ? parsedReference(repositoryUrl) : undefined;
    if (!ref) return false;
    const repository = `${ref.registry}/${ref.repository}`;
    const tag = purl.qualifiers?.['tag'];
    return tag ? target.tagged.has(`${repository}:${tag}`) : target.repositories.has(repository);
  }
  const ref = parsedReference(id);
  if (!ref) return false;
  if (ref.digest) return target.digests.has(ref.digest);
  return target.tagged.has(`${ref.registry}/${ref.repository}:${ref.tag}`);
}

function productCovers(product: VexProduct, packagePurl: string | undefined, target: TargetIdentity): boolean {
  for (const id of product.ids) {
    if (namesTarget(id, target)) {
      // The whole image, or the listed packages inside it.
      if (product.subcomponents.length === 0) return true;
      if (packagePurl && product.subcomponents.some((ids) => ids.some((sub) => purlCovers(sub, packagePurl)))) return true;
    } else if (packagePurl && product.subcomponents.length === 0 && purlCovers(id, packagePurl)) {
      return true;
    }
  }
  return false;
}

export interface VexVerdict {
  statement: VexStatement;
  file: string;
}

interface Indexed extends VexVerdict {
  /** Position in reading order: documents in the order given, statements in document order. */
  order: number;
}

/** Statements of all documents by lower-case vulnerability id or alias, so each finding looks up only its own. */
export type VexIndex = Map<string, Indexed[]>;

export function indexVex(documents: VexDocument[]): VexIndex {
  const index: VexIndex = new Map();
  let order = 0;
  for (const doc of documents) {
    for (const statement of doc.statements) {
      const entry = { statement, file: doc.file, order: order++ };
      for (const id of new Set(statement.ids.map((x) => x.trim().toLowerCase()))) {
        const list = index.get(id);
        if (list) list.push(entry);
        else index.set(id, [entry]);
      }
    }
  }
  return index;
}

/**
 * The statement that decides a finding: of all statements (across documents) about this vulnerability and
 * this product, the latest; on equal or missing timestamps, the one read last.
 */
export function decidingStatement(index: VexIndex, finding: Finding, target: TargetIdentity): VexVerdict | undefined {
  const purl = finding.vulnerability?.package.purl;
  const seen = new Set<Indexed>();
  let best: Indexed | undefined;
  for (const id of findingIds(finding)) {
    for (const candidate of index.get(id) ?? []) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      if (!candidate.statement.products.some((p) => productCovers(p, purl, target))) continue;
      if (!best || later(candidate, best)) best = candidate;
    }
  }
  return best && { statement: best.statement, file: best.file };
}

function later(a: Indexed, b: Indexed): boolean {
  const ta = a.statement.timestamp ?? Number.NEGATIVE_INFINITY;
  const tb = b.statement.timestamp ?? Number.NEGATIVE_INFINITY;
  return ta !== tb ? ta > tb : a.order > b.order;
}

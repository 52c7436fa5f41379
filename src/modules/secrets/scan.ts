import picomatch from 'picomatch';
import type { Finding } from '../../core/finding.js';
import type { LayerRef } from '../../core/package.js';
import { compileAllowList } from './allow-list.js';
import { maskSecret, secretFingerprint } from './mask.js';
import { SECRET_RULES } from './rules.js';
import { detectSecrets, type Hit } from './detect.js';
import { bufferSource, stringSource, type TextSource } from './text-source.js';
import type { SecretRule, SecretScanOptions, SecretSkipReason, SecretStringEntry, SecretStringsWhere, SecretWhere } from './types.js';

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

const exceptMatchers = new WeakMap<SecretRule, (path: string) => boolean>();

/** Whether the file is one of the rule's `exceptPaths`. */
function excepted(rule: SecretRule, path: string | undefined): boolean {
  const globs = rule.detect.exceptPaths;
  if (path === undefined || globs === undefined || globs.length === 0) return false;
  let match = exceptMatchers.get(rule);
  if (match === undefined) {
    match = picomatch(globs, { dot: true });
    exceptMatchers.set(rule, match);
  }
  return match(path.replace(/^\/+/, ''));
}

function scanText(source: TextSource, place: Place, options: SecretScanOptions): Finding[] {
  const rules = options.rules ?? SECRET_RULES;
  const allow = compileAllowList(options.allowList);
  const hits = detectSecrets(source, rules).filter((h) => !excepted(h.rule, place.path) && !allow.allows(h.rule.meta, place.path, h.secret));
  if (hits.length === 0) return [];
  const lines = source.linesOf(hits.map((h) => h.anchor));
  return hits.map((h, i) => toFinding(h, lines[i]!, place)).sort(byLineThenId);
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
  const source = typeof text === 'string' ? stringSource(text) : bufferSource(text);
  return scanText(source, { target: where.target, path: where.path, layer: where.layer }, options);
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
    out.push(...scanText(stringSource(text), { target: where.target, resource, ...(layer ? { layer } : {}) }, options));
  }
  return out;
}

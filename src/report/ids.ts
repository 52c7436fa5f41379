import { createHash } from 'node:crypto';

/** RFC 4122 URL namespace, used for the name-based (v5) UUIDs below. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based (v5) UUID. Document ids (CycloneDX serialNumber, SPDX namespace) come from the scan
 * result rather than a random source so that rendering one result twice gives identical bytes, while
 * two scans (different createdAt) still get different ids.
 */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Replaces every run of characters outside [A-Za-z0-9.-] with one '-' (SPDX idstring rule). */
export function spdxIdString(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'unnamed' : cleaned;
}

/** Hands out unique ids: the first request for a base gets it as is, later ones get base-2, base-3, ... */
export class UniqueIds {
  readonly #used = new Set<string>();

  take(base: string, separator = '-'): string {
    let id = base;
    for (let n = 2; this.#used.has(id); n++) id = `${base}${separator}${n}`;
    this.#used.add(id);
    return id;
  }
}

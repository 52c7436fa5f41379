import { BulwarkError } from '../../core/errors.js';
import { oneLine } from '../../sources/registry/transport.js';

// Repository names, tags and digests as the OCI distribution spec defines them, and the bearer scopes they need.

const REPO_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

const TAG = /^[\w][\w.-]{0,127}$/;

export const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function checkRepo(repo: string): void {
  if (!REPO_NAME.test(repo) || repo.length > 255) throw new BulwarkError('E_USAGE', `"${oneLine(repo, 100)}" is not a valid repository name`);
}

export function checkDigest(digest: string): void {
  if (!DIGEST.test(digest)) throw new BulwarkError('E_USAGE', `"${oneLine(digest, 100)}" is not a sha256/sha512 digest`);
}

export function checkReference(reference: string): void {
  if (!TAG.test(reference) && !DIGEST.test(reference)) throw new BulwarkError('E_USAGE', `"${oneLine(reference, 100)}" is not a valid tag or digest`);
}

export function refName(repo: string, reference: string): string {
  return DIGEST.test(reference) ? `${repo}@${reference}` : `${repo}:${reference}`;
}

export function pullScopes(repo: string): string[] {
  return [`repository:${repo}:pull`];
}

/** The OCI 1.1 referrers tag schema: `<alg>-<hex>`, alg cut to 32 and hex to 64 characters. */
export function referrersTag(digest: string): string {
  const [alg, hex] = digest.split(':') as [string, string];
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`;
}

import { createHash } from 'node:crypto';
import { findingFingerprint } from '../../core/finding.js';

const MASK = '********';

/**
 * A secret as it may be shown: at most its first 4 characters (fewer for short secrets, none under
 * 4) and a fixed run of asterisks, so neither the rest nor the length is revealed.
 */
export function maskSecret(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return secret.slice(0, shown) + MASK;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * sha256 over kind, rule id, target, path, line and a hash of the secret (never the secret), so the
 * same secret in the same place keeps its fingerprint across scans and a rotated one gets a new one.
 */
export function secretFingerprint(ruleId: string, target: string, path: string, line: number, secret: string): string {
  return findingFingerprint('secret', ruleId, target, path, String(line), sha256Hex(secret));
}

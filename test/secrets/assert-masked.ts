import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding.js';

/**
 * No 8-character stretch of the secret (the whole secret when shorter) appears anywhere in the
 * findings, raw or JSON-escaped: the mask shows at most 4 characters.
 */
export function assertMasked(findings: Finding[], secret: string): void {
  const json = JSON.stringify(findings);
  const width = Math.min(8, secret.length);
  for (let i = 0; i + width <= secret.length; i++) {
    const piece = secret.slice(i, i + width);
    if (/^\s|\s$/.test(piece)) continue;
    const escaped = JSON.stringify(piece).slice(1, -1);
    assert.ok(!json.includes(piece) && !json.includes(escaped), `secret characters ${i}..${i + width} appear unmasked in a finding`);
  }
}

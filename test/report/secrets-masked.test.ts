// No secret is ever printed unmasked: every output format, rendered from findings the real secret
// scanner and Dockerfile linter wrote about fake secrets, holds no stretch of any secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { maskSecret } from '../../src/modules/secrets/index.js';
import { renderReport, reportFormats, type ReportFormat } from '../../src/report/index.js';
import { SECRETS, checksResult } from './checks-fixtures.js';
import { debianVulnResult } from './fixtures.js';

/**
 * Where `secret` shows in `text`: any 8-character stretch of it (the whole secret when shorter), raw or
 * JSON-escaped. A mask shows at most 4 characters, so a masked secret never matches.
 */
function leaks(text: string, secret: string): string[] {
  const width = Math.min(8, secret.length);
  const found: string[] = [];
  for (let i = 0; i + width <= secret.length; i++) {
    const piece = secret.slice(i, i + width);
    if (/\s/.test(piece)) continue;
    const escaped = JSON.stringify(piece).slice(1, -1);
    if (text.includes(piece) || text.includes(escaped)) found.push(piece);
  }
  return found;
}

/** Secrets the secret scanner reports (the Dockerfile's ENV token is reported by a Dockerfile rule, wholly masked). */
const scanned = [SECRETS.ghp, SECRETS.akia, SECRETS.awsSecret, SECRETS.dbPass, SECRETS.envToken, SECRETS.privateKey];
/** The formats that show misconfiguration and secret findings; the SBOM formats list packages only. */
const SHOWS_FINDINGS: ReadonlySet<ReportFormat> = new Set(['table', 'json', 'sarif']);

function withVulnerabilities(): ImageScanResult {
  const vulns = debianVulnResult();
  const c = checksResult();
  return { ...vulns, scanners: [...vulns.scanners, ...c.scanners], findings: [...vulns.findings, ...c.findings], lean: c.lean };
}

describe('no secret is ever printed unmasked', () => {
  const result = withVulnerabilities();

  it('the fixture really holds every secret: the scanners found them all', () => {
    const ids = result.findings.filter((f) => f.kind === 'secret').map((f) => f.id).sort();
    assert.deepEqual(ids, ['BW-SEC-001', 'BW-SEC-002', 'BW-SEC-006', 'BW-SEC-006', 'BW-SEC-016', 'BW-SEC-019']);
    assert.ok(result.findings.some((f) => f.id === 'BW-DF-002'), 'the Dockerfile ENV secret is reported');
    // The check itself can fail: the raw inputs hold the secrets.
    for (const s of Object.values(SECRETS)) assert.notDeepEqual(leaks(`x ${s} y`, s), []);
  });

  for (const format of reportFormats) {
    it(`${format}: no secret appears${SHOWS_FINDINGS.has(format) ? '; each masked one does' : ''}`, async () => {
      const outputs = format === 'table'
        ? [await renderReport(format, result, { width: 80 }), await renderReport(format, result, { width: 250, color: true })]
        : [await renderReport(format, result)];
      for (const text of outputs) {
        for (const [name, secret] of Object.entries(SECRETS)) assert.deepEqual(leaks(text, secret), [], `${format}: ${name} leaks`);
      }
      if (SHOWS_FINDINGS.has(format)) {
        const wide = outputs.at(-1)!;
        for (const s of scanned) assert.ok(wide.includes(maskSecret(s)), `${format} shows ${maskSecret(s)}`);
      }
    });
  }

  it('the SBOM formats carry no secret finding: CycloneDX vulnerabilities are vulnerability findings only', async () => {
    const bom = JSON.parse(await renderReport('cyclonedx', result)) as { vulnerabilities?: { id: string }[] };
    const vulnIds = result.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.id).sort();
    assert.deepEqual((bom.vulnerabilities ?? []).map((v) => v.id).sort(), vulnIds);
    const spdx = await renderReport('spdx-json', result);
    assert.ok(!spdx.includes('BW-SEC-') && !spdx.includes('********'));
  });
});

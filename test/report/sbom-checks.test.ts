import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { cyclonedxReporter } from '../../src/report/cyclonedx.js';
import { spdxReporter } from '../../src/report/spdx.js';
import { checksResult } from './checks-fixtures.js';
import { debianVulnResult } from './fixtures.js';
import { spdxValidator } from './helpers.js';

/** The SBOM formats ignore misconfiguration and secret findings and the lean report: documents stay valid and unchanged. */
describe('sbom reporters with misconfiguration and secret findings', () => {
  const vulns = debianVulnResult();
  const c = checksResult();
  const both = { ...vulns, scanners: [...vulns.scanners, ...c.scanners], findings: [...vulns.findings, ...c.findings], lean: c.lean };

  it('cyclonedx: validates against CycloneDX 1.6, with the same components and vulnerabilities as without them', async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    for (const r of [c, both]) assert.equal(await validator.validate(cyclonedxReporter.render(r)), null);
    // Only the serial number (a hash of the whole result) may differ.
    const strip = (text: string): unknown => ({ ...(JSON.parse(text) as Record<string, unknown>), serialNumber: undefined });
    assert.deepEqual(strip(cyclonedxReporter.render(both)), strip(cyclonedxReporter.render(vulns)));
    assert.equal((JSON.parse(cyclonedxReporter.render(c)) as { vulnerabilities?: unknown[] }).vulnerabilities, undefined);
  });

  it('spdx-json: validates against SPDX 2.3 and lists the same packages', () => {
    const validate = spdxValidator();
    for (const r of [c, both]) assert.deepEqual(validate(JSON.parse(spdxReporter.render(r))), []);
    const packages = (text: string): unknown => (JSON.parse(text) as { packages: unknown }).packages;
    assert.deepEqual(packages(spdxReporter.render(both)), packages(spdxReporter.render(vulns)));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { cyclonedxReporter } from '../../src/report/cyclonedx.js';
import { analysisOf } from '../../src/report/cyclonedx-vulns.js';
import { allResults, debianResult, debianVulnResult, rockyResult } from './fixtures.js';
import { clone, spdxExpressionProblems } from './helpers.js';

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  purl?: string;
  'bom-ref'?: string;
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[];
  properties?: { name: string; value: string }[];
}
interface CdxVulnerability {
  'bom-ref': string;
  id: string;
  source?: { name?: string; url?: string };
  references?: { id: string; source: { name?: string; url?: string } }[];
  ratings?: { source?: { name?: string; url?: string }; score?: number; severity?: string; method?: string; vector?: string }[];
  description?: string;
  detail?: string;
  recommendation?: string;
  advisories?: { url: string }[];
  published?: string;
  updated?: string;
  analysis?: { state?: string; justification?: string; detail?: string };
  affects?: { ref: string; versions?: { version: string; status?: string }[] }[];
  properties?: { name: string; value: string }[];
}
interface CdxBom {
  specVersion: string;
  vulnerabilities?: CdxVulnerability[];
  serialNumber: string;
  metadata: { component: CdxComponent; tools: { components: CdxComponent[] }; timestamp: string };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

// The library's strict validator runs ajv over the official CycloneDX 1.6 JSON schema it ships
// (res/schema/bom-1.6.SNAPSHOT.schema.json with spdx and jsf schemas).
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const render = (r = debianResult()): CdxBom => JSON.parse(cyclonedxReporter.render(r)) as CdxBom;
const prop = (c: CdxComponent, name: string): string | undefined => c.properties?.find((p) => p.name === name)?.value;

describe('cyclonedx reporter', () => {
  for (const [name, result] of allResults()) {
    it(`${name}: output validates against the CycloneDX 1.6 schema`, async () => {
      assert.equal(await validator.validate(cyclonedxReporter.render(result)), null);
    });
  }

  it('describes the image as a container with an oci purl and bulwark as the tool', () => {
    const bom = render();
    assert.equal(bom.specVersion, '1.6');
    assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const image = bom.metadata.component;
    assert.equal(image.type, 'container');
    assert.equal(image.name, 'docker.io/library/debian');
    assert.equal(image.version, debianResult().artifact.manifestDigest);
    assert.match(image.purl ?? '', /^pkg:oci\/debian@sha256:[0-9a-f]{64}\?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=12$/);
    assert.equal(image['bom-ref'], image.purl);
    assert.deepEqual(bom.metadata.tools.components.map((t) => [t.name, t.version]), [['bulwark', '0.1.0']]);
  });

  it('lists the OS and every package with purl, bom-ref, properties and licences', () => {
    const result = debianResult();
    const bom = render(result);
    assert.equal(bom.components.length, result.packages.length + 1);
    const os = bom.components.filter((c) => c.type === 'operating-system');
    assert.deepEqual(os.map((c) => [c.name, c.version]), [['debian', '12']]);
    for (const p of result.packages) {
      const c = bom.components.find((x) => x.purl === p.purl);
      assert.ok(c, `component for ${p.purl}`);
      assert.equal(c.type, 'library');
      assert.equal(c['bom-ref'], p.purl);
      assert.equal(prop(c, 'bulwark:package:type'), 'deb');
      assert.equal(prop(c, 'bulwark:package:location'), '/var/lib/dpkg/status');
      assert.equal(prop(c, 'bulwark:layer:index'), String(p.layer?.index));
      assert.equal(prop(c, 'bulwark:layer:diffId'), p.layer?.diffId);
      assert.equal(prop(c, 'bulwark:package:sourceName'), p.sourceName);
    }
    const byName = (n: string): CdxComponent => bom.components.find((c) => c.name === n)!;
    assert.deepEqual(byName('libc6').licenses, [{ license: { id: 'GPL-2.0-only' } }, { license: { id: 'LGPL-2.1-only' } }]);
    assert.deepEqual(byName('login').licenses, [{ license: { id: 'BSD-3-Clause' } }, { license: { id: 'GPL-2.0-or-later' } }]);
    assert.equal(byName('tzdata').licenses, undefined);
    const perl = byName('perl-base').licenses;
    assert.equal(perl?.length, 1);
    const expression = perl?.[0] && 'expression' in perl[0] ? perl[0].expression : '';
    assert.equal(expression, '(GPL-1.0-or-later OR Artistic-1.0) AND Artistic-2.0 AND MIT AND LicenseRef-public-domain AND LicenseRef-BSD-3-clause-GENERIC');
    assert.deepEqual(spdxExpressionProblems(expression), []);
  });

  it('makes the image depend on every component', () => {
    const bom = render();
    const image = bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref']);
    assert.deepEqual(new Set(image?.dependsOn), new Set(bom.components.map((c) => c['bom-ref'])));
  });

  it('keeps bom-refs unique when two packages share a purl', async () => {
    const result = rockyResult();
    const first = result.packages[0]!;
    result.packages.push({ ...first, location: '/usr/lib/sysimage/rpm/rpmdb.sqlite' });
    const text = cyclonedxReporter.render(result);
    assert.equal(await validator.validate(text), null);
    const refs = (JSON.parse(text) as CdxBom).components.map((c) => c['bom-ref']);
    assert.equal(new Set(refs).size, refs.length);
    assert.ok(refs.includes(`${first.purl}|2`));
  });

  it('is deterministic for one result and differs for a later scan', () => {
    const a = debianResult();
    const b = debianResult();
    b.packages.reverse();
    assert.equal(cyclonedxReporter.render(a), cyclonedxReporter.render(b));
    b.createdAt = '2024-06-01T00:00:00.000Z';
    assert.notEqual(render(a).serialNumber, render(b).serialNumber);
  });

  it('the validator rejects broken documents (the test can fail)', async () => {
    const bom = render();
    const noName = clone(bom) as unknown as { components: Record<string, unknown>[] };
    delete noName.components[1]!['name'];
    assert.notEqual(await validator.validate(JSON.stringify(noName)), null);
    const badType = clone(bom);
    badType.metadata.component.type = 'docker-image';
    assert.notEqual(await validator.validate(JSON.stringify(badType)), null);
    const mixed = clone(bom);
    mixed.components[1]!.licenses = [{ expression: 'MIT' }, { license: { id: 'MIT' } }];
    assert.notEqual(await validator.validate(JSON.stringify(mixed)), null);
  });

  describe('vulnerabilities', () => {
    const vulns = (r = debianVulnResult()): CdxVulnerability[] => render(r).vulnerabilities ?? [];
    const vuln = (id: string, pkg: string, r = debianVulnResult()): CdxVulnerability =>
      vulns(r).find((v) => v.id === id && v.affects?.[0]?.ref.includes(`/${pkg}@`))!;

    it('lists one vulnerability per finding, affecting the package component', () => {
      const result = debianVulnResult();
      const bom = render(result);
      assert.equal(bom.vulnerabilities?.length, result.findings.length);
      const refs = new Set(bom.components.map((c) => c['bom-ref']));
      for (const f of result.findings) {
        const v: CdxVulnerability | undefined = bom.vulnerabilities!.find((x) => x.properties?.some((p) => p.name === 'bulwark:finding:fingerprint' && p.value === f.fingerprint));
        assert.ok(v, `vulnerability for ${f.id} in ${f.vulnerability!.package.name}`);
        assert.equal(v.id, f.id);
        assert.equal(v.affects?.length, 1);
        assert.equal(v.affects[0]!.ref, f.vulnerability!.package.purl);
        assert.ok(refs.has(v.affects[0]!.ref), 'points at a component of this BOM');
        assert.deepEqual(v.affects[0]!.versions?.map((x) => x.version), [f.vulnerability!.package.version]);
      }
      const bomRefs = bom.vulnerabilities!.map((v) => v['bom-ref']);
      assert.equal(new Set([...bomRefs, ...refs]).size, bomRefs.length + refs.size, 'bom-refs unique across the BOM');
      assert.equal(render(debianResult()).vulnerabilities, undefined, 'no findings, no vulnerabilities');
    });

    it('rates with every CVSS version, score, vector and severity', () => {
      const braces = vuln('CVE-2024-4068', 'braces');
      assert.deepEqual(
        braces.ratings?.map((r) => [r.method, r.score, r.severity, r.vector]).sort(),
        [
          ['CVSSv31', 7.5, 'high', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'],
          ['CVSSv4', 8.7, 'high', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N'],
        ],
      );
      assert.deepEqual(braces.ratings?.[0]?.source, { name: 'GHSA-grv7-fg5c-xmjg', url: 'https://osv.dev/vulnerability/GHSA-grv7-fg5c-xmjg' });
      // Debian's urgency decided the severity: it gets a rating of its own next to the CVSS one.
      const getaddrinfo = vuln('CVE-2023-4806', 'libc6');
      assert.deepEqual(getaddrinfo.ratings?.map((r) => [r.method, r.severity, r.source?.name]).sort(), [
        ['CVSSv31', 'medium', 'DEBIAN-CVE-2023-4806'],
        ['other', 'low', 'debian-urgency'],
      ]);
      assert.equal(vuln('CVE-2011-4116', 'perl-base').ratings, undefined, 'UNKNOWN and no CVSS: no rating');
    });

    it('carries the source, aliases, description, advice and links', () => {
      const braces = vuln('CVE-2024-4068', 'braces');
      assert.deepEqual(braces.source, { name: 'OSV', url: 'https://osv.dev/vulnerability/CVE-2024-4068' });
      assert.deepEqual(braces.references, [{ id: 'GHSA-grv7-fg5c-xmjg', source: { name: 'GitHub Advisory Database', url: 'https://github.com/advisories/GHSA-grv7-fg5c-xmjg' } }]);
      assert.equal(braces.description, 'Uncontrolled resource consumption in braces');
      assert.equal(braces.recommendation, 'Upgrade braces to 3.0.3 or later');
      assert.deepEqual(braces.advisories?.map((a) => a.url), ['https://github.com/advisories/GHSA-grv7-fg5c-xmjg', 'https://nvd.nist.gov/vuln/detail/CVE-2024-4068']);
      assert.equal(braces.published, '2024-01-26T09:15:00.000Z');
      const pkcs12 = vuln('CVE-2024-0727', 'libssl3');
      assert.match(pkcs12.detail ?? '', /^Processing a maliciously formatted PKCS12 file/);
      assert.deepEqual(pkcs12.references?.map((r) => [r.id, r.source.name]), [['DSA-5621-1', 'OSV']]);
      assert.equal(vuln('CVE-2023-4641', 'login').recommendation, 'Fix deferred (postponed)');
      const lodash = vuln('CVE-2021-23337', 'lodash');
      assert.deepEqual(lodash.affects?.[0]?.versions, [{ version: '4.17.x', status: 'unknown' }], 'possibly affected: unknown');
      assert.equal(vuln('CVE-2024-4068', 'braces').affects?.[0]?.versions?.[0]?.status, 'affected');
    });

    it('records suppressions as an analysis', () => {
      const zlib = vuln('CVE-2023-45853', 'zlib1g');
      assert.equal(zlib.analysis?.state, 'not_affected');
      assert.equal(zlib.analysis?.justification, 'code_not_present');
      assert.match(zlib.analysis?.detail ?? '', /VEX statement in vex\/debian\.openvex\.json .*minizip/);
      assert.equal(zlib.affects?.[0]?.versions?.[0]?.status, 'unaffected');
      const login = vuln('CVE-2023-4641', 'login');
      assert.equal(login.analysis?.state, 'in_triage');
      assert.equal(login.analysis?.justification, undefined);
      assert.equal(login.affects?.[0]?.versions?.[0]?.status, 'affected');
      assert.equal(vuln('CVE-2024-4068', 'braces').analysis, undefined);
      const state = (status?: string): string | undefined => analysisOf({ kind: 'vex', source: 'v.json', ...(status ? { status } : {}) }).state;
      assert.equal(state('fixed'), 'resolved');
      assert.equal(state('not_affected'), 'not_affected');
      assert.equal(state('false_positive'), 'false_positive');
      assert.equal(state('under_investigation'), 'in_triage');
      assert.equal(state('affected'), 'in_triage');
      assert.equal(state(undefined), 'in_triage');
      assert.equal(analysisOf({ kind: 'vex', source: 'v.json', status: 'vulnerable_code_not_in_execute_path' }).justification, 'code_not_reachable');
    });

    it('points a finding whose package is not in the BOM at the image, and stays valid', async () => {
      const result = debianVulnResult();
      result.packages = result.packages.filter((p) => p.name !== 'lodash');
      const text = cyclonedxReporter.render(result);
      assert.equal(await validator.validate(text), null);
      const bom = JSON.parse(text) as CdxBom;
      const lodash = bom.vulnerabilities!.find((v) => v.id === 'CVE-2021-23337')!;
      assert.equal(lodash.affects?.[0]?.ref, bom.metadata.component['bom-ref']);
    });

    it('is deterministic whatever the finding order', () => {
      const a = debianVulnResult();
      const b = debianVulnResult();
      b.findings.reverse();
      for (const f of b.findings) f.vulnerability!.cvss.reverse();
      assert.equal(cyclonedxReporter.render(a), cyclonedxReporter.render(a));
      assert.equal(cyclonedxReporter.render(a), cyclonedxReporter.render(b));
    });

    it('the validator rejects a broken vulnerability (the test can fail)', async () => {
      const bom = render(debianVulnResult());
      const badMethod = clone(bom);
      badMethod.vulnerabilities![0]!.ratings = [{ method: 'CVSSv5', severity: 'high' }];
      assert.notEqual(await validator.validate(JSON.stringify(badMethod)), null);
      const badState = clone(bom);
      badState.vulnerabilities![0]!.analysis = { state: 'ignored' };
      assert.notEqual(await validator.validate(JSON.stringify(badState)), null);
    });
  });
});

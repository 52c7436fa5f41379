import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { cyclonedxReporter } from '../../src/report/cyclonedx.js';
import { allResults, debianResult, rockyResult } from './fixtures.js';
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
interface CdxBom {
  specVersion: string;
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
});

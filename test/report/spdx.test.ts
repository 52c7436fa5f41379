import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spdxReporter, type SpdxDocument } from '../../src/report/spdx.js';
import { allResults, debianResult, rockyResult } from './fixtures.js';
import { clone, spdxExpressionProblems, spdxValidator } from './helpers.js';

const validate = spdxValidator();
const render = (r = debianResult()): SpdxDocument => JSON.parse(spdxReporter.render(r)) as SpdxDocument;

describe('spdx-json reporter', () => {
  for (const [name, result] of allResults()) {
    it(`${name}: output validates against the SPDX 2.3 JSON schema`, () => {
      assert.deepEqual(validate(JSON.parse(spdxReporter.render(result))), []);
    });

    it(`${name}: ids, relationships and licence expressions are consistent`, () => {
      const doc = render(result);
      const ids = doc.packages.map((p) => p.SPDXID);
      assert.equal(new Set(ids).size, ids.length, 'SPDXIDs are unique');
      for (const id of ids) assert.match(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
      const known = new Set([...ids, 'SPDXRef-DOCUMENT']);
      for (const r of doc.relationships) assert.ok(known.has(r.spdxElementId) && known.has(r.relatedSpdxElement), JSON.stringify(r));
      const refs = new Set((doc.hasExtractedLicensingInfos ?? []).map((e) => e.licenseId));
      for (const p of doc.packages) {
        if (p.licenseDeclared === 'NOASSERTION') continue;
        assert.deepEqual(spdxExpressionProblems(p.licenseDeclared), [], `${p.name}: ${p.licenseDeclared}`);
        for (const ref of p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) assert.ok(refs.has(ref), `${ref} is declared`);
      }
      assert.match(doc.creationInfo.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  }

  it('describes the image, contains the OS and packages, with purls and purposes', () => {
    const result = debianResult();
    const doc = render(result);
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(doc.dataLicense, 'CC0-1.0');
    assert.equal(doc.name, 'docker.io/library/debian:12');
    assert.match(doc.documentNamespace, /^https:\/\/\S+\/debian-sha256-[0-9a-f]{64}-[0-9a-f-]{36}$/);
    assert.deepEqual(doc.creationInfo.creators, ['Tool: bulwark-0.1.0']);
    const [image, os, ...pkgs] = doc.packages;
    assert.equal(image?.primaryPackagePurpose, 'CONTAINER');
    assert.match(image?.externalRefs?.[0]?.referenceLocator ?? '', /^pkg:oci\/debian@sha256:/);
    assert.equal(os?.primaryPackagePurpose, 'OPERATING_SYSTEM');
    assert.equal(pkgs.length, result.packages.length);
    assert.ok(pkgs.every((p) => p.primaryPackagePurpose === 'LIBRARY' && p.downloadLocation === 'NOASSERTION' && p.licenseConcluded === 'NOASSERTION'));
    const purls = pkgs.map((p) => p.externalRefs?.[0]);
    assert.deepEqual(new Set(purls.map((r) => r?.referenceLocator)), new Set(result.packages.map((p) => p.purl)));
    assert.ok(purls.every((r) => r?.referenceCategory === 'PACKAGE-MANAGER' && r.referenceType === 'purl'));
    assert.deepEqual(doc.relationships[0], { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: image?.SPDXID });
    assert.equal(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS').length, result.packages.length + 1);
    const libstdcxx = pkgs.find((p) => p.name === 'libstdc++6');
    assert.equal(libstdcxx?.SPDXID, 'SPDXRef-Package-deb-libstdc-6-12.2.0-14-amd64');
    assert.equal(libstdcxx?.licenseDeclared, 'GPL-3.0-or-later WITH GCC-exception-3.1 AND GFDL-1.2-or-later AND LicenseRef-GPL-2-with-OpenSSL-exception');
    assert.equal(pkgs.find((p) => p.name === 'tzdata')?.licenseDeclared, 'NOASSERTION');
    assert.equal(pkgs.find((p) => p.name === 'libc6')?.supplier, 'Person: GNU Libc Maintainers (debian-glibc@lists.debian.org)');
  });

  it('maps rpm legacy licence names and records unmapped text as extracted licences', () => {
    const doc = render(rockyResult());
    const declared = (name: string): string | undefined => doc.packages.find((p) => p.name === name)?.licenseDeclared;
    assert.equal(declared('bash'), 'GPL-3.0-or-later');
    assert.equal(declared('openssl-libs'), 'Apache-2.0');
    assert.equal(declared('crypto-policies'), 'LGPL-2.1-or-later');
    assert.equal(declared('perl-libs'), '(GPL-1.0-or-later OR Artistic-1.0) AND LicenseRef-HSRL AND MIT AND LicenseRef-UCD');
    const publicDomain = doc.hasExtractedLicensingInfos?.find((e) => e.licenseId === 'LicenseRef-Public-Domain');
    assert.deepEqual(publicDomain, { licenseId: 'LicenseRef-Public-Domain', name: 'Public Domain', extractedText: 'Public Domain' });
    assert.equal(doc.packages.find((p) => p.name === 'openssl-libs')?.supplier, 'Organization: Rocky Enterprise Software Foundation');
  });

  it('is deterministic for one result and gets a new namespace for a later scan', () => {
    const a = debianResult();
    const b = debianResult();
    b.packages.reverse();
    assert.equal(spdxReporter.render(a), spdxReporter.render(b));
    b.createdAt = '2024-06-01T00:00:00.000Z';
    assert.notEqual(render(a).documentNamespace, render(b).documentNamespace);
  });

  it('the schema rejects broken documents (the test can fail)', () => {
    const doc = render();
    const noDownload = clone(doc) as unknown as { packages: Record<string, unknown>[] };
    delete noDownload.packages[1]!['downloadLocation'];
    assert.ok(validate(noDownload).some((e) => e.keyword === 'required'));
    const badRel = clone(doc) as unknown as { relationships: Record<string, unknown>[] };
    badRel.relationships[0]!['relationshipType'] = 'INCLUDES';
    assert.ok(validate(badRel).some((e) => e.keyword === 'enum'));
    const badPurpose = clone(doc) as unknown as { packages: Record<string, unknown>[] };
    badPurpose.packages[1]!['primaryPackagePurpose'] = 'OPERATING-SYSTEM';
    assert.ok(validate(badPurpose).some((e) => e.keyword === 'enum'));
    const { documentNamespace: _, ...noNamespace } = doc;
    assert.notDeepEqual(validate(noNamespace), []);
  });
});

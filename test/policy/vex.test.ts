import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import { applyPolicy } from '../../src/policy/filter.js';
import { loadVex, parseVex, type VexDocument } from '../../src/policy/vex.js';
import { purlCovers } from '../../src/policy/vex-match.js';
import { tempFiles, vulnFinding } from './findings.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const OPENSSL = 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
const ZLIB = 'pkg:deb/debian/zlib@1.2.13.dfsg-1?arch=amd64&distro=debian-12';
const MANIFEST = `sha256:${'a'.repeat(64)}`;
const CONFIG = `sha256:${'c'.repeat(64)}`;

function openVex(statements: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    author: 'Example Security',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements,
    ...extra,
  });
}

const notAffected = (vuln: unknown, products: unknown[], extra: Record<string, unknown> = {}) => ({
  vulnerability: vuln,
  products,
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  ...extra,
});

/** Ids of the findings the VEX documents leave unsuppressed. */
function remaining(findings: Finding[], vex: VexDocument[], targetNames: string[] = []): string[] {
  return applyPolicy(findings, { vex, targetNames }).findings.map((f) => `${f.id}|${f.vulnerability?.package.name}`);
}

function vexError(text: string): string {
  try {
    parseVex(text, 'vex.json');
  } catch (e) {
    assert.ok(e instanceof BulwarkError);
    assert.equal(e.code, 'E_FORMAT');
    assert.ok(!e.message.includes('\n'));
    return e.message;
  }
  assert.fail('expected the VEX document to be rejected');
}

describe('purlCovers', () => {
  it('compares type, namespace and name; version only when the statement has one', () => {
    assert.ok(purlCovers('pkg:deb/debian/openssl', OPENSSL));
    assert.ok(purlCovers('pkg:deb/debian/openssl@3.0.11-1~deb12u2', OPENSSL));
    assert.ok(!purlCovers('pkg:deb/debian/openssl@3.0.13-1~deb12u1', OPENSSL));
    assert.ok(!purlCovers('pkg:deb/ubuntu/openssl', OPENSSL));
    assert.ok(!purlCovers('pkg:rpm/debian/openssl', OPENSSL));
    assert.ok(!purlCovers('pkg:deb/debian/openssl-dev', OPENSSL));
  });

  it('ignores qualifiers unless the statement gives them', () => {
    assert.ok(purlCovers('pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64', OPENSSL));
    assert.ok(!purlCovers('pkg:deb/debian/openssl?arch=arm64', OPENSSL));
  });

  it('uses the purl spec normalisation (PyPI names, npm scopes)', () => {
    assert.ok(purlCovers('pkg:pypi/Django_Rest@1.0', 'pkg:pypi/django-rest@1.0'));
    assert.ok(purlCovers('pkg:npm/%40babel/core', 'pkg:npm/%40babel/core@7.0.0'));
    assert.ok(!purlCovers('pkg:npm/core', 'pkg:npm/%40babel/core@7.0.0'));
  });

  it('never matches what is not a purl', () => {
    assert.ok(!purlCovers('openssl', OPENSSL));
    assert.ok(!purlCovers('pkg:', OPENSSL));
  });
});

describe('OpenVEX', () => {
  const findings = [
    vulnFinding({ id: 'CVE-2024-0001', aliases: ['GHSA-aaaa-bbbb-cccc'], purl: OPENSSL }),
    vulnFinding({ id: 'CVE-2024-0001', purl: ZLIB }),
    vulnFinding({ id: 'CVE-2024-0002', purl: OPENSSL }),
  ];

  it('suppresses a not_affected statement for the package purl, and nothing else', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'pkg:deb/debian/openssl@3.0.11-1~deb12u2' }])]), 'a.vex.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|zlib', 'CVE-2024-0002|openssl']);
  });

  it('a purl without version covers every version; identifiers.purl works like @id', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ identifiers: { purl: 'pkg:deb/debian/zlib' } }])]), 'a.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|openssl', 'CVE-2024-0002|openssl']);
  });

  it('a versioned purl of another version does not suppress', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'pkg:deb/debian/openssl@3.0.9-1' }])]), 'a.json');
    assert.equal(remaining(findings, [doc]).length, 3);
  });

  it('matches the vulnerability through aliases on either side, case-insensitive', () => {
    const byFindingAlias = parseVex(openVex([notAffected({ name: 'ghsa-AAAA-bbbb-cccc' }, [{ '@id': 'pkg:deb/debian/openssl' }])]), 'a.json');
    assert.deepEqual(remaining(findings, [byFindingAlias]), ['CVE-2024-0001|zlib', 'CVE-2024-0002|openssl']);
    const byStatementAlias = parseVex(openVex([notAffected({ name: 'DSA-9999-1', aliases: ['CVE-2024-0002'] }, [{ '@id': 'pkg:deb/debian/openssl' }])]), 'a.json');
    assert.deepEqual(remaining(findings, [byStatementAlias]), ['CVE-2024-0001|openssl', 'CVE-2024-0001|zlib']);
  });

  it('reads a vulnerability named only by an @id URL', () => {
    const doc = parseVex(openVex([notAffected({ '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2024-0002' }, [{ '@id': 'pkg:deb/debian/openssl' }])]), 'a.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|openssl', 'CVE-2024-0001|zlib']);
  });

  it('matches the scanned image as product with the package as subcomponent', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'debian:12', subcomponents: [{ '@id': 'pkg:deb/debian/zlib' }] }])]), 'a.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|openssl', 'CVE-2024-0002|openssl']);
  });

  it('matches the image by pkg:oci digest or a digest reference, through the target names', () => {
    const byPurl = parseVex(
      openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': `pkg:oci/debian@${MANIFEST.replace(':', '%3A')}?repository_url=docker.io/library/debian`, subcomponents: [{ '@id': 'pkg:deb/debian/openssl' }] }])]),
      'a.json',
    );
    assert.deepEqual(remaining(findings, [byPurl], [MANIFEST]), ['CVE-2024-0001|zlib', 'CVE-2024-0002|openssl']);
    assert.equal(remaining(findings, [byPurl], [CONFIG]).length, 3, 'another digest is another image');
    const byRepoDigest = parseVex(openVex([notAffected({ name: 'CVE-2024-0002' }, [{ '@id': `debian@${CONFIG}` }])]), 'a.json');
    assert.deepEqual(remaining(findings, [byRepoDigest], [`docker.io/library/debian@${CONFIG}`]), ['CVE-2024-0001|openssl', 'CVE-2024-0001|zlib']);
  });

  it('matches a pkg:oci purl without digest by repository_url and tag', () => {
    const tagged = (tag: string) => `pkg:oci/debian?repository_url=index.docker.io/library/debian&tag=${tag}`;
    const doc12 = parseVex(openVex([notAffected({ name: 'CVE-2024-0002' }, [{ '@id': tagged('12') }])]), 'a.json');
    assert.deepEqual(remaining(findings, [doc12]), ['CVE-2024-0001|openssl', 'CVE-2024-0001|zlib']);
    const doc11 = parseVex(openVex([notAffected({ name: 'CVE-2024-0002' }, [{ '@id': tagged('11') }])]), 'a.json');
    assert.equal(remaining(findings, [doc11]).length, 3);
  });

  it('a statement about the image without subcomponents covers every package in it', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'docker.io/library/debian:12' }])]), 'a.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0002|openssl']);
  });

  it('another image, or a package product with subcomponents, does not match', () => {
    const otherImage = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'debian:11' }, { '@id': 'ghcr.io/x/debian:12' }])]), 'a.json');
    assert.equal(remaining(findings, [otherImage]).length, 3);
    const app = parseVex(openVex([notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'pkg:npm/app@1.0.0', subcomponents: [{ '@id': 'pkg:deb/debian/openssl' }] }])]), 'a.json');
    assert.equal(remaining(findings, [app]).length, 3, 'containment in a package cannot be checked: fail closed');
  });

  it('suppresses fixed, but not affected or under_investigation', () => {
    const status = (s: string, extra: Record<string, unknown> = {}) =>
      parseVex(openVex([{ vulnerability: { name: 'CVE-2024-0002' }, products: [{ '@id': 'pkg:deb/debian/openssl' }], status: s, ...extra }]), 'a.json');
    assert.equal(remaining(findings, [status('fixed')]).length, 2);
    assert.equal(remaining(findings, [status('affected', { action_statement: 'upgrade' })]).length, 3);
    assert.equal(remaining(findings, [status('under_investigation')]).length, 3);
  });

  it('the latest statement for a (vulnerability, product) wins, within and across documents', () => {
    const product = [{ '@id': 'pkg:deb/debian/openssl' }];
    const older = notAffected({ name: 'CVE-2024-0002' }, product, { timestamp: '2024-02-01T00:00:00Z' });
    const newer = { vulnerability: { name: 'CVE-2024-0002' }, products: product, status: 'under_investigation', timestamp: '2024-03-01T00:00:00Z' };
    assert.equal(remaining(findings, [parseVex(openVex([newer, older]), 'a.json')]).length, 3, 'newer under_investigation beats older not_affected');
    const fixedLater = { ...older, timestamp: '2024-04-01T10:00:00+02:00' };
    assert.equal(remaining(findings, [parseVex(openVex([newer, fixedLater]), 'a.json')]).length, 2);
    // Across documents; a statement without timestamp inherits its document's.
    const docOld = parseVex(openVex([notAffected({ name: 'CVE-2024-0002' }, product)], { timestamp: '2024-01-01T00:00:00Z' }), 'old.json');
    const docNew = parseVex(openVex([{ vulnerability: { name: 'CVE-2024-0002' }, products: product, status: 'affected', action_statement: 'upgrade' }], { timestamp: '2024-05-01T00:00:00Z' }), 'new.json');
    assert.equal(remaining(findings, [docNew, docOld]).length, 3);
    assert.equal(remaining(findings, [docOld]).length, 2);
  });

  it('on equal timestamps the statement read last wins', () => {
    const product = [{ '@id': 'pkg:deb/debian/openssl' }];
    const suppressing = notAffected({ name: 'CVE-2024-0002' }, product);
    const investigating = { vulnerability: { name: 'CVE-2024-0002' }, products: product, status: 'under_investigation' };
    assert.equal(remaining(findings, [parseVex(openVex([suppressing, investigating]), 'a.json')]).length, 3);
    assert.equal(remaining(findings, [parseVex(openVex([investigating, suppressing]), 'a.json')]).length, 2);
    const first = parseVex(openVex([investigating]), 'first.json');
    const second = parseVex(openVex([suppressing]), 'second.json');
    assert.equal(remaining(findings, [first, second]).length, 2);
    assert.equal(remaining(findings, [second, first]).length, 3);
  });

  it('a more specific later statement overrides a broad earlier one', () => {
    const broad = notAffected({ name: 'CVE-2024-0001' }, [{ '@id': 'pkg:deb/debian/openssl' }, { '@id': 'pkg:deb/debian/zlib' }], { timestamp: '2024-01-01T00:00:00Z' });
    const narrow = { vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': 'pkg:deb/debian/zlib@1.2.13.dfsg-1' }], status: 'affected', action_statement: 'upgrade', timestamp: '2024-02-01T00:00:00Z' };
    assert.deepEqual(remaining(findings, [parseVex(openVex([broad, narrow]), 'a.json')]), ['CVE-2024-0001|zlib', 'CVE-2024-0002|openssl']);
  });

  it('reads the v0.0.1 shorthand of plain strings', () => {
    const doc = parseVex(openVex([{ vulnerability: 'CVE-2024-0002', products: ['pkg:deb/debian/openssl'], status: 'not_affected', impact_statement: 'not compiled in' }]), 'a.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|openssl', 'CVE-2024-0001|zlib']);
  });

  it('records the suppression with file, status and reason', () => {
    const doc = parseVex(openVex([notAffected({ name: 'CVE-2024-0002' }, [{ '@id': 'pkg:deb/debian/openssl' }], { impact_statement: undefined })]), 'team.vex.json');
    const outcome = applyPolicy(findings, { vex: [doc], showSuppressed: true });
    const suppressed = outcome.findings.filter((f) => f.suppressed);
    assert.deepEqual(suppressed.map((f) => f.suppressed), [
      { kind: 'vex', source: 'team.vex.json', status: 'not_affected', reason: 'vulnerable_code_not_in_execute_path' },
    ]);
  });

  it('warns about a statement without products', () => {
    const doc = parseVex(openVex([{ vulnerability: { name: 'CVE-1' }, status: 'fixed' }]), 'a.json');
    assert.deepEqual(doc.warnings, ['a.json: statements[0] names no products; it applies to nothing']);
  });

  it('loads from a file', () => {
    const dir = tempFiles({ 'doc.openvex.json': openVex([notAffected({ name: 'CVE-2024-0002' }, [{ '@id': 'pkg:deb/debian/openssl' }])]) });
    dirs.push(dir);
    const doc = loadVex(join(dir, 'doc.openvex.json'));
    assert.equal(doc.format, 'openvex');
    assert.equal(doc.file, join(dir, 'doc.openvex.json'));
    assert.equal(doc.statements.length, 1);
  });

  it('rejects bad documents with one line naming the file and the problem', () => {
    assert.match(vexError('{ "@context": '), /^vex\.json: not valid JSON/);
    assert.equal(vexError('[]'), 'vex.json: expected an OpenVEX or CycloneDX VEX JSON object');
    assert.equal(vexError('{"statements": []}'), 'vex.json: neither OpenVEX (no "@context") nor CycloneDX (no "bomFormat")');
    assert.match(vexError(openVex([], { '@context': 'https://example.com/ns' })), /^vex\.json: not a valid OpenVEX document: @context: expected an openvex\.dev context/);
    assert.match(vexError(openVex([{ vulnerability: { name: 'CVE-1' }, products: [] }])), /^vex\.json: not a valid OpenVEX document: statements\[0\]\.status: Required/);
    assert.match(vexError(openVex([{ vulnerability: { name: 'CVE-1' }, products: [], status: 'maybe' }])), /statements\[0\]\.status: Invalid enum value/);
    assert.match(vexError(openVex([{ vulnerability: { name: 'CVE-1' }, products: [], status: 'not_affected' }])), /statements\[0\]: a not_affected statement needs a justification or an impact_statement/);
    assert.match(vexError(openVex([{ vulnerability: {}, products: [], status: 'fixed' }])), /statements\[0\]\.vulnerability/);
    assert.match(vexError(openVex([notAffected('CVE-1', [], { timestamp: 'yesterday' })])), /statements\[0\]\.timestamp: expected an RFC 3339 date-time/);
  });

  it('reports a missing file as E_INPUT', () => {
    assert.throws(() => loadVex('/nonexistent/x.vex.json'), (e: unknown) => e instanceof BulwarkError && e.code === 'E_INPUT' && /no such file/.test(e.message));
  });
});

describe('CycloneDX VEX', () => {
  const findings = [
    vulnFinding({ id: 'CVE-2024-0001', aliases: ['GHSA-aaaa-bbbb-cccc'], purl: 'pkg:npm/lodash@4.17.20', path: '/app/node_modules/lodash/package.json' }),
    vulnFinding({ id: 'CVE-2024-0001', purl: 'pkg:npm/lodash@4.17.21', path: '/srv/node_modules/lodash/package.json' }),
    vulnFinding({ id: 'CVE-2024-0002', purl: OPENSSL }),
  ];

  function bom(vulnerabilities: unknown[], extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { timestamp: '2024-01-01T00:00:00Z', component: { type: 'container', name: 'debian', 'bom-ref': 'image' } },
      components: [
        { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', 'bom-ref': 'lodash-ref' },
        { type: 'library', name: 'wrapper', 'bom-ref': 'no-purl', components: [{ type: 'library', name: 'openssl', purl: OPENSSL, 'bom-ref': 'nested-openssl' }] },
      ],
      vulnerabilities,
      ...extra,
    });
  }
  const analysed = (id: string, state: string, refs: string[], extra: Record<string, unknown> = {}) => ({
    id,
    analysis: { state, justification: 'code_not_reachable', detail: 'never called' },
    affects: refs.map((ref) => ({ ref })),
    ...extra,
  });

  for (const state of ['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree']) {
    it(`suppresses state ${state} through a bom-ref`, () => {
      const doc = parseVex(bom([analysed('CVE-2024-0001', state, ['lodash-ref'])]), 'bom.json');
      assert.equal(doc.format, 'cyclonedx');
      assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|lodash', 'CVE-2024-0002|openssl']);
    });
  }

  for (const state of ['exploitable', 'in_triage']) {
    it(`does not suppress state ${state}`, () => {
      assert.equal(remaining(findings, [parseVex(bom([analysed('CVE-2024-0001', state, ['lodash-ref'])]), 'bom.json')]).length, 3);
    });
  }

  it('resolves nested components, plain purls and BOM-Links', () => {
    const nested = parseVex(bom([analysed('CVE-2024-0002', 'not_affected', ['nested-openssl'])]), 'bom.json');
    assert.deepEqual(remaining(findings, [nested]), ['CVE-2024-0001|lodash', 'CVE-2024-0001|lodash']);
    const purl = parseVex(bom([analysed('CVE-2024-0001', 'not_affected', ['pkg:npm/lodash'])]), 'bom.json');
    assert.deepEqual(remaining(findings, [purl]), ['CVE-2024-0002|openssl'], 'an unversioned purl covers both versions');
    const link = `urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#${encodeURIComponent('pkg:npm/lodash@4.17.21')}`;
    const bomLink = parseVex(bom([analysed('CVE-2024-0001', 'not_affected', [link])]), 'bom.json');
    assert.deepEqual(remaining(findings, [bomLink]), ['CVE-2024-0001|lodash', 'CVE-2024-0002|openssl']);
  });

  it('matches through vulnerability references (aliases)', () => {
    const doc = parseVex(bom([analysed('GHSA-zzzz-0000-1111', 'not_affected', ['pkg:deb/debian/openssl'], { references: [{ id: 'CVE-2024-0002', source: { name: 'NVD' } }] })]), 'bom.json');
    assert.deepEqual(remaining(findings, [doc]), ['CVE-2024-0001|lodash', 'CVE-2024-0001|lodash']);
    const byFindingAlias = parseVex(bom([analysed('GHSA-AAAA-bbbb-cccc', 'not_affected', ['pkg:npm/lodash'])]), 'bom.json');
    assert.deepEqual(remaining(findings, [byFindingAlias]), ['CVE-2024-0001|lodash', 'CVE-2024-0002|openssl']);
  });

  it('narrows a ref to the versions listed, and ignores ranges', () => {
    const listed = parseVex(bom([analysed('CVE-2024-0001', 'not_affected', [], { affects: [{ ref: 'pkg:npm/lodash', versions: [{ version: '4.17.21', status: 'unaffected' }] }] })]), 'bom.json');
    assert.deepEqual(remaining(findings, [listed]), ['CVE-2024-0001|lodash', 'CVE-2024-0002|openssl']);
    const kept = applyPolicy(findings, { vex: [listed] }).findings;
    assert.equal(kept[0]?.vulnerability?.package.version, '4.17.20');
    const ranged = parseVex(bom([analysed('CVE-2024-0001', 'not_affected', [], { affects: [{ ref: 'pkg:npm/lodash', versions: [{ range: 'vers:npm/>=4.0.0' }] }] })]), 'bom.json');
    assert.equal(remaining(findings, [ranged]).length, 3);
    assert.match(ranged.warnings[0] ?? '', /affects\[0\] gives only version ranges/);
  });

  it('ignores vulnerabilities without analysis and warns about refs it cannot resolve', () => {
    const doc = parseVex(bom([{ id: 'CVE-2024-0001', affects: [{ ref: 'lodash-ref' }] }, analysed('CVE-2024-0002', 'not_affected', ['no-purl', 'nowhere'])]), 'bom.json');
    assert.equal(remaining(findings, [doc]).length, 3);
    assert.deepEqual(doc.warnings, [
      'bom.json: vulnerabilities[1].affects[0] ref "no-purl" names no component with a purl; ignored',
      'bom.json: vulnerabilities[1].affects[1] ref "nowhere" names no component with a purl; ignored',
      'bom.json: vulnerabilities[1] affects no resolvable component; it applies to nothing',
    ]);
  });

  it('the latest analysis wins across documents (lastUpdated, else the BOM timestamp)', () => {
    const early = parseVex(bom([analysed('CVE-2024-0002', 'not_affected', ['pkg:deb/debian/openssl'])]), 'early.json');
    const late = parseVex(
      bom([{ id: 'CVE-2024-0002', analysis: { state: 'exploitable', lastUpdated: '2024-06-01T00:00:00Z' }, affects: [{ ref: 'pkg:deb/debian/openssl' }] }]),
      'late.json',
    );
    assert.equal(remaining(findings, [late, early]).length, 3);
    assert.equal(remaining(findings, [early]).length, 2);
  });

  it('rejects bad documents with one line naming the file and the problem', () => {
    assert.match(vexError(bom([analysed('CVE-1', 'fine', ['lodash-ref'])])), /^vex\.json: not a valid CycloneDX VEX document: vulnerabilities\[0\]\.analysis\.state: Invalid enum value/);
    assert.match(vexError(JSON.stringify({ bomFormat: 'SPDX', specVersion: '1.5' })), /^vex\.json: not a valid CycloneDX VEX document: bomFormat: Invalid literal value/);
    assert.match(vexError(bom([{ analysis: { state: 'not_affected' } }])), /vulnerabilities\[0\]\.id: Required/);
  });
});

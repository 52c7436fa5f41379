import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsInfo } from '../../src/core/package.js';
import { osEcosystem } from '../../src/vulndb/match/ecosystem.js';
import { ecosystemsFor, matchPackages } from '../../src/vulndb/match/index.js';
import { DEBIAN_12, RecordList, deb, npm, range, record } from './match-support.js';

const debAffected = (name: string, ...events: Record<string, string>[]) => ({ package: { ecosystem: 'Debian:12', name }, ranges: [range(...events)] });
const npmAffected = (name: string, ...events: Record<string, string>[]) => ({ package: { ecosystem: 'npm', name }, ranges: [range(...events)] });
const match = (records: Parameters<typeof record>[], packages: Parameters<typeof matchPackages>[0], os?: OsInfo) =>
  matchPackages(packages, os ?? DEBIAN_12, new RecordList(records.map((r) => record(...r))), { target: 'test-image' });

describe('OSV ecosystem of an OS', () => {
  it('names releases as OSV does', () => {
    assert.equal(osEcosystem({ family: 'debian', version: '12', source: '' }), 'Debian:12');
    assert.equal(osEcosystem({ family: 'ubuntu', version: '22.04', prettyName: 'Ubuntu 22.04.4 LTS', source: '' }), 'Ubuntu:22.04:LTS');
    assert.equal(osEcosystem({ family: 'ubuntu', version: '23.10', prettyName: 'Ubuntu 23.10', source: '' }), 'Ubuntu:23.10');
    assert.equal(osEcosystem({ family: 'alpine', version: '3.19.1', source: '' }), 'Alpine:v3.19');
    assert.equal(osEcosystem({ family: 'debian', source: '' }), undefined);
  });
});

describe('matching', () => {
  it('matches a binary package through its source name and source version', () => {
    const out = match(
      [['DEBIAN-CVE-2026-0001', [debAffected('glibc', { introduced: '0' }, { fixed: '2.36-9+deb12u15' })], { upstream: ['CVE-2026-0001'] }]],
      [deb('libc6', '2.36-9+deb12u14', { name: 'glibc', version: '2.36-9+deb12u14' })],
    );
    assert.equal(out.findings.length, 1);
    const f = out.findings[0]!;
    assert.equal(f.id, 'CVE-2026-0001');
    assert.deepEqual(f.aliases, ['DEBIAN-CVE-2026-0001']);
    assert.equal(f.vulnerability?.status, 'fixed');
    assert.deepEqual(f.vulnerability?.fixedVersions, ['2.36-9+deb12u15']);
    assert.equal(f.vulnerability?.package.sourceName, 'glibc');
  });

  it('the fixed version itself is not affected; an introduced above the installed version is not either', () => {
    const out = match(
      [
        ['A', [debAffected('glibc', { introduced: '0' }, { fixed: '2.36-9+deb12u14' })]],
        ['B', [debAffected('glibc', { introduced: '2.37-1' }, { fixed: '2.37-2' })]],
      ],
      [deb('libc6', '2.36-9+deb12u14', { name: 'glibc', version: '2.36-9+deb12u14' })],
    );
    assert.deepEqual(out.findings, []);
  });

  it('a binNMU suffix is not a fix: the source version is compared', () => {
    const out = match([['A', [debAffected('bash', { introduced: '0' }, { fixed: '5.2.15-2+b1' })]]], [deb('bash', '5.2.15-2+b13', { name: 'bash', version: '5.2.15-2' })]);
    assert.equal(out.findings.length, 1);
  });

  it('no fix yet is reported, with the distro status when the record has one', () => {
    const out = match(
      [
        ['CVE-2016-2781', [debAffected('coreutils', { introduced: '0' })]],
        ['CVE-2023-45853', [{ ...debAffected('zlib', { introduced: '0' }), ecosystemSpecific: { status: 'ignored' } }]],
      ],
      [deb('coreutils', '9.1-1'), deb('zlib1g', '1:1.2.13.dfsg-1', { name: 'zlib', version: '1:1.2.13.dfsg-1' })],
    );
    const byId = new Map(out.findings.map((f) => [f.id, f]));
    assert.equal(byId.get('CVE-2016-2781')?.vulnerability?.status, 'affected');
    assert.equal(byId.get('CVE-2023-45853')?.vulnerability?.status, 'will_not_fix');
    assert.equal(byId.get('CVE-2023-45853')?.vulnerability?.distroStatus, 'ignored');
  });

  it('withdrawn records and other releases are ignored', () => {
    const out = match(
      [
        ['A', [debAffected('coreutils', { introduced: '0' })], { withdrawn: '2026-02-01T00:00:00Z' }],
        ['B', [{ package: { ecosystem: 'Debian:11', name: 'coreutils' }, ranges: [range({ introduced: '0' })] }]],
      ],
      [deb('coreutils', '9.1-1')],
    );
    assert.deepEqual(out.findings, []);
  });

  it('last_affected bounds a range inclusively; limit caps it', () => {
    const out = match(
      [
        ['A', [npmAffected('left-pad', { introduced: '1.0.0' }, { last_affected: '1.3.0' })]],
        ['B', [npmAffected('left-pad', { introduced: '1.0.0' }, { last_affected: '1.2.9' })]],
        ['C', [npmAffected('left-pad', { introduced: '0' }, { limit: '1.3.0' })]],
      ],
      [npm('left-pad', '1.3.0')],
    );
    assert.deepEqual(out.findings.map((f) => f.id), ['A']);
    assert.equal(out.findings[0]?.vulnerability?.status, 'affected');
  });

  it('explicit versions lists match exactly', () => {
    const out = match(
      [
        ['A', [{ package: { ecosystem: 'npm', name: 'ua-parser-js' }, versions: ['0.7.29', '0.8.0'] }]],
        ['B', [{ package: { ecosystem: 'npm', name: 'ua-parser-js' }, versions: ['0.7.30'] }]],
      ],
      [npm('ua-parser-js', '0.7.29')],
    );
    assert.deepEqual(out.findings.map((f) => f.id), ['A']);
  });

  it('several ranges: the fix of the segment the version sits in', () => {
    const out = match([['A', [npmAffected('lib', { introduced: '0' }, { fixed: '1.2.5' }, { introduced: '2.0.0' }, { fixed: '2.1.3' })]]], [npm('lib', '2.1.0')]);
    assert.deepEqual(out.findings[0]?.vulnerability?.fixedVersions, ['2.1.3']);
  });

  it('aliases merge into one finding per flaw; a DSA naming two CVEs joins each, not both into one', () => {
    const out = match(
      [
        ['DSA-5999-1', [debAffected('glibc', { introduced: '0' }, { fixed: '2.36-9+deb12u20' })], { upstream: ['CVE-2026-1111', 'CVE-2026-2222'] }],
        ['DEBIAN-CVE-2026-1111', [debAffected('glibc', { introduced: '0' }, { fixed: '2.36-9+deb12u20' })], { upstream: ['CVE-2026-1111'] }],
      ],
      [deb('libc6', '2.36-9+deb12u14', { name: 'glibc', version: '2.36-9+deb12u14' })],
    );
    const ids = out.findings.map((f) => `${f.id}:${f.aliases.join(',')}`).sort();
    assert.deepEqual(ids, ['CVE-2026-1111:DEBIAN-CVE-2026-1111,DSA-5999-1', 'CVE-2026-2222:DSA-5999-1']);
  });

  it('records without a CVE merge through shared ids', () => {
    const out = match(
      [
        ['GHSA-aaaa-bbbb-cccc', [npmAffected('lib', { introduced: '0' }, { fixed: '1.0.1' })]],
        ['OSV-2026-7', [npmAffected('lib', { introduced: '0' })], { aliases: ['GHSA-aaaa-bbbb-cccc'] }],
      ],
      [npm('lib', '1.0.0')],
    );
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0]?.id, 'GHSA-aaaa-bbbb-cccc');
    assert.deepEqual(out.findings[0]?.aliases, ['OSV-2026-7']);
    assert.equal(out.findings[0]?.vulnerability?.status, 'fixed');
  });

  it('an unparseable installed version fails closed: possibly affected', () => {
    const out = match([['A', [npmAffected('lib', { introduced: '0' }, { fixed: '1.0.1' })]]], [npm('lib', 'not-a-version')]);
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0]?.vulnerability?.status, 'possibly_affected');
  });

  it('a language package an OS package installed is not reported twice; kernel headers only when asked', () => {
    const owned = npm('debug', '4.3.4', { osPackage: { type: 'deb', name: 'node-debug', version: '4.3.4+~4.1.7-1' } });
    const headers = deb('linux-libc-dev', '6.1.90-1', { name: 'linux', version: '6.1.90-1' });
    const records: Parameters<typeof record>[] = [
      ['GHSA-debug', [npmAffected('debug', { introduced: '0' })]],
      ['CVE-2026-9', [debAffected('linux', { introduced: '0' })]],
    ];
    const out = match(records, [owned, headers]);
    assert.deepEqual(out.findings, []);
    const asked = matchPackages([headers], DEBIAN_12, new RecordList(records.map((r) => record(...r))), { target: 't', includeKernelPackages: true });
    assert.deepEqual(asked.findings.map((f) => f.id), ['CVE-2026-9']);
  });

  it('PyPI names meet whatever their spelling', () => {
    const out = matchPackages(
      [{ type: 'pypi', name: 'Jinja2', version: '3.1.2', licenses: [], purl: 'pkg:pypi/jinja2@3.1.2', location: '/usr/lib/python3/dist-packages/Jinja2.dist-info/METADATA' }],
      undefined,
      new RecordList([record('GHSA-h5c8-rqwp-cp95', [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, ranges: [range({ introduced: '0' }, { fixed: '3.1.3' })] }])]),
      { target: 't' },
    );
    assert.deepEqual(out.findings.map((f) => f.id), ['GHSA-h5c8-rqwp-cp95']);
  });

  it('Go SEMVER ranges hold "v"-prefixed module versions and the toolchain as stdlib', () => {
    const goPkg = (name: string, version: string) => ({ type: 'golang' as const, name, version, licenses: [], purl: `pkg:golang/${name}@${version}`, location: '/app/server' });
    const out = matchPackages(
      [goPkg('golang.org/x/net', 'v0.17.0'), goPkg('stdlib', '1.21.3'), goPkg('golang.org/x/text', 'v0.14.0')],
      undefined,
      new RecordList([
        record('GO-2023-2102', [{ package: { ecosystem: 'Go', name: 'golang.org/x/net' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.1' }] as never }] }]),
        record('GO-2023-2185', [{ package: { ecosystem: 'Go', name: 'stdlib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.21.0-0' }, { fixed: '1.21.4' }] as never }] }]),
        record('GO-2022-1059', [{ package: { ecosystem: 'Go', name: 'golang.org/x/text' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.3.8' }] as never }] }]),
      ]),
      { target: 't' },
    );
    assert.deepEqual(out.findings.map((f) => `${f.id} ${f.vulnerability?.fixedVersions.join(',')}`).sort(), ['GO-2023-2102 0.17.1', 'GO-2023-2185 1.21.4']);
  });

  it('fingerprints are stable and differ per package', () => {
    const recs: Parameters<typeof record>[] = [['A', [debAffected('glibc', { introduced: '0' })]]];
    const pkgs = [deb('libc6', '2.36-9', { name: 'glibc', version: '2.36-9' }), deb('libc-bin', '2.36-9', { name: 'glibc', version: '2.36-9' })];
    const one = match(recs, pkgs).findings.map((f) => f.fingerprint);
    const two = match(recs, pkgs).findings.map((f) => f.fingerprint);
    assert.deepEqual(one, two);
    assert.equal(new Set(one).size, 2);
  });

  it('lists the ecosystems a package list needs', () => {
    assert.deepEqual(ecosystemsFor([deb('bash', '5.2'), npm('lodash', '4.17.21')], DEBIAN_12), ['Debian:12', 'npm']);
  });
});

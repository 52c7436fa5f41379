import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import type { Package } from '../../src/core/package.js';
import { runCli, type CliResult } from '../support/cli.js';
import { cachedImage, debianFixtures } from '../support/images.js';
import { osv, zipBuffer, recordEntries, type OsvJson } from '../support/osv-zip.js';
import { startOsvServer, type OsvServer } from '../support/osv-server.js';
import { sarifValidator } from '../report/helpers.js';

/**
 * The whole path a user takes: OSV zips served over HTTP on 127.0.0.1, `db update`, then scans of the
 * real Debian and npm test images. Versions come from the images themselves (the Debian archive moves),
 * and each record is written relative to them so that each OSV rule is exercised for real.
 */
let server: OsvServer;
let work: string;
let cacheDir: string;
let debianArchive: string;
let npmArchive: string;
let debianPackages: Package[];
let npmPackages: Package[];

const json = <T>(r: CliResult): T => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};
const inventory = async (archive: string): Promise<Package[]> =>
  json<{ packages: Package[] }>(await runCli(['image', '--input', archive, '--scanners', 'none', '--format', 'json', '--no-progress'])).packages;
const deb = (pkgs: Package[], name: string): Package => {
  const p = pkgs.find((x) => x.type === 'deb' && x.name === name);
  assert.ok(p, `${name} in the image`);
  return p;
};
const srcVersion = (p: Package): string => p.sourceVersion ?? p.version;
const above = (version: string): string => `${version}+bulwark1`;
const debian = (name: string, events: Record<string, string>[], extra: Partial<Parameters<typeof osv>[1][number]> = {}) => ({ ecosystem: 'Debian:12', name, events, ...extra });

function debianRecords(): OsvJson[] {
  const glibc = srcVersion(deb(debianPackages, 'libc6'));
  const tar = srcVersion(deb(debianPackages, 'tar'));
  return [
    osv('DEBIAN-CVE-2026-10001', [debian('glibc', [{ introduced: '0' }, { fixed: glibc }])], { upstream: ['CVE-2026-10001'] }),
    osv('DEBIAN-CVE-2026-10002', [debian('glibc', [{ introduced: '0' }, { fixed: above(glibc) }])], {
      upstream: ['CVE-2026-10002'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    osv('DSA-9001-1', [debian('glibc', [{ introduced: '0' }, { fixed: above(glibc) }])], { upstream: ['CVE-2026-10002', 'CVE-2026-10007'] }),
    osv('DEBIAN-CVE-2016-2781', [debian('coreutils', [{ introduced: '0' }])], { upstream: ['CVE-2016-2781'] }),
    withSpecific(osv('DEBIAN-CVE-2023-45853', [debian('zlib', [{ introduced: '0' }])], { upstream: ['CVE-2023-45853'] }), { status: 'ignored', urgency: 'not yet assigned' }),
    osv('DEBIAN-CVE-2026-10005', [debian('apt', [{ introduced: '0' }])], { upstream: ['CVE-2026-10005'], withdrawn: '2026-06-01T00:00:00Z' }),
    osv('DEBIAN-CVE-2026-10006', [debian('tar', [{ introduced: above(tar) }, { fixed: above(above(tar)) }])], { upstream: ['CVE-2026-10006'] }),
    osv('DEBIAN-CVE-2026-10008', [{ ecosystem: 'Debian:11', name: 'coreutils', events: [{ introduced: '0' }] }], { upstream: ['CVE-2026-10008'] }),
  ];
}

function withSpecific(record: OsvJson, specific: Record<string, string>): OsvJson {
  const affected = record.affected as Record<string, unknown>[];
  return { ...record, affected: affected.map((a) => ({ ...a, ecosystem_specific: specific })) };
}

function npmRecords(): OsvJson[] {
  const owned = npmPackages.find((p) => p.type === 'npm' && p.osPackage);
  assert.ok(owned, 'the npm image has Debian-installed npm packages');
  return [
    osv('GHSA-qw6h-vgh9-j6wx', [{ ecosystem: 'npm', name: 'express', events: [{ introduced: '0' }, { fixed: '4.20.0' }] }], { aliases: ['CVE-2024-43796'] }),
    osv('GHSA-rv95-896h-c2vc', [{ ecosystem: 'npm', name: 'express', events: [{ introduced: '0' }, { fixed: '4.19.2' }] }], { aliases: ['CVE-2024-29041'] }),
    osv('GHSA-35jh-r3h4-6jhm', [{ ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }], { aliases: ['CVE-2021-23337'] }),
    osv('GHSA-test-yarg-semv', [{ ecosystem: 'npm', name: 'yargs', rangeType: 'SEMVER', events: [{ introduced: '17.0.0' }, { fixed: '17.7.3' }] }]),
    osv('GHSA-test-debg-wdrn', [{ ecosystem: 'npm', name: 'debug', events: [{ introduced: '0' }] }], { withdrawn: '2026-01-01T00:00:00Z' }),
    osv('GHSA-test-ownd-byos', [{ ecosystem: 'npm', name: owned.name, versions: [owned.version] }]),
  ];
}

async function scan(archive: string, ...args: string[]): Promise<CliResult> {
  return runCli(['image', '--scanners', 'vuln', '--input', archive, '--cache-dir', cacheDir, '--db-url', server.baseUrl, '--no-progress', ...args]);
}
const findingsOf = (r: CliResult): Finding[] => json<{ findings: Finding[] }>(r).findings;
const summary = (f: Finding) =>
  `${f.id} ${f.vulnerability?.package.name} ${f.vulnerability?.status}${f.vulnerability?.fixedVersions.length ? ` ${f.vulnerability.fixedVersions.join(',')}` : ''}`;

before(async () => {
  const [fx, npmImage] = await Promise.all([debianFixtures(), cachedImage('npm-app', fileURLToPath(new URL('../fixtures/npm-app/', import.meta.url)))]);
  debianArchive = fx.dockerArchive;
  npmArchive = npmImage.dockerArchive;
  [debianPackages, npmPackages] = await Promise.all([inventory(debianArchive), inventory(npmArchive)]);
  work = await mkdtemp(join(tmpdir(), 'bulwark-vuln-e2e-'));
  cacheDir = join(work, 'cache');
  server = await startOsvServer();
  server.publish('Debian', await zipBuffer(recordEntries(debianRecords())));
  server.publish('npm', await zipBuffer(recordEntries(npmRecords())));
  const update = await runCli(['db', 'update', '--ecosystems', 'Debian,npm', '--db-url', server.baseUrl, '--cache-dir', cacheDir, '--no-progress']);
  assert.equal(update.code, 0, update.stderr);
});
after(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('vulnerability scan of the real Debian image', () => {
  it('finds exactly the expected advisories', async () => {
    const before = server.requests.length;
    const findings = findingsOf(await scan(debianArchive, '--format', 'json'));
    assert.equal(server.requests.length, before, 'a fresh database is not downloaded again');
    const glibc = srcVersion(deb(debianPackages, 'libc6'));
    const glibcBinaries = debianPackages.filter((p) => p.sourceName === 'glibc').map((p) => p.name).sort();
    assert.ok(glibcBinaries.includes('libc6') && glibcBinaries.length >= 2, 'several binaries built from glibc');
    const zlibBinaries = debianPackages.filter((p) => (p.sourceName ?? p.name) === 'zlib').map((p) => p.name);
    const expected = [
      // fixed above the installed version, matched through the source package for every binary
      ...glibcBinaries.map((n) => `CVE-2026-10002 ${n} fixed ${above(glibc)}`),
      ...glibcBinaries.map((n) => `CVE-2026-10007 ${n} fixed ${above(glibc)}`),
      // no fix yet
      'CVE-2016-2781 coreutils affected',
      // the distro's own status
      ...zlibBinaries.map((n) => `CVE-2023-45853 ${n} will_not_fix`),
    ].sort();
    assert.deepEqual(findings.map(summary).sort(), expected);
    // Not there: equal to the fixed version (CVE-2026-10001), withdrawn (10005), introduced later (10006), Debian 11 (10008).
    const merged = findings.find((f) => f.id === 'CVE-2026-10002' && f.vulnerability?.package.name === 'libc6');
    assert.deepEqual(merged?.aliases, ['DEBIAN-CVE-2026-10002', 'DSA-9001-1']);
    assert.equal(merged?.vulnerability?.package.sourceName, 'glibc');
    assert.equal(merged?.severity, 'CRITICAL');
    assert.equal(merged?.vulnerability?.cvss[0]?.score, 9.8);
    assert.equal(merged?.location.path, '/var/lib/dpkg/status');
    assert.ok(merged?.location.layer?.diffId.startsWith('sha256:'));
  });

  it('gates: --exit-code, --severity, --ignore-unfixed, --ignorefile, --show-suppressed', async () => {
    assert.equal((await scan(debianArchive, '--format', 'json', '--exit-code', '3')).code, 3);
    const critical = await scan(debianArchive, '--format', 'json', '--exit-code', '3', '--severity', 'critical');
    assert.equal(critical.code, 3);
    assert.deepEqual([...new Set((JSON.parse(critical.stdout) as { findings: Finding[] }).findings.map((f) => f.severity))], ['CRITICAL']);
    assert.equal((await scan(debianArchive, '--format', 'json', '--exit-code', '3', '--severity', 'critical', '--ignore-unfixed', '--ignore-status', 'fixed')).code, 0);
    const unfixed = findingsOf(await scan(debianArchive, '--format', 'json', '--ignore-unfixed'));
    assert.deepEqual([...new Set(unfixed.map((f) => f.vulnerability?.status))], ['fixed']);

    const ignorefile = join(work, 'ignore.yaml');
    await writeFile(
      ignorefile,
      ['ignores:', '  - id: CVE-2016-2781', '    reason: chroot --userspec is not used', '  - id: DSA-9001-1', '    reason: expired', '    expires: 2020-01-01', ''].join('\n'),
    );
    const ignored = await scan(debianArchive, '--format', 'json', '--ignorefile', ignorefile);
    assert.ok(!findingsOf(ignored).some((f) => f.id === 'CVE-2016-2781'));
    assert.ok(findingsOf(ignored).some((f) => f.aliases.includes('DSA-9001-1')), 'an expired entry no longer suppresses');
    assert.match(ignored.stderr, /DSA-9001-1.*expired|expired.*DSA-9001-1/);
    const shown = findingsOf(await scan(debianArchive, '--format', 'json', '--ignorefile', ignorefile, '--show-suppressed'));
    assert.equal(shown.find((f) => f.id === 'CVE-2016-2781')?.suppressed?.kind, 'ignorefile');
  });

  it('SARIF output validates against the SARIF 2.1.0 schema, one rule per advisory', async () => {
    const r = await scan(debianArchive, '--format', 'sarif');
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: unknown[] }[] };
    assert.deepEqual(sarifValidator()(log), []);
    const rules = log.runs[0]!.tool.driver.rules.map((x) => x.id);
    assert.deepEqual(rules, [...new Set(rules)]);
    assert.ok(rules.includes('CVE-2026-10002') && rules.includes('CVE-2016-2781'));
  });

  it('the table groups vulnerabilities by package', async () => {
    const r = await scan(debianArchive, '--format', 'table');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /CVE-2016-2781/);
    assert.match(r.stdout, /coreutils/);
  });
});

describe('vulnerability scan of the real npm image', () => {
  it('finds exactly the expected advisories, once per package, none for packages Debian installed', async () => {
    const findings = findingsOf(await scan(npmArchive, '--format', 'json')).filter((f) => f.vulnerability?.package.type === 'npm');
    const owned = npmPackages.find((p) => p.type === 'npm' && p.osPackage)!;
    const yargs = npmPackages.filter((p) => p.type === 'npm' && p.name === 'yargs' && !p.osPackage && /^17\.[0-7]\.[0-2]$|^17\.[0-6]\./.test(p.version));
    const expected = [
      ...npmPackages.filter((p) => p.type === 'npm' && p.name === 'express' && !p.osPackage).map(() => 'CVE-2024-43796 express fixed 4.20.0'),
      ...yargs.map(() => 'GHSA-test-yarg-semv yargs fixed 17.7.3'),
      // an app copy of the same name and version is the app's own, and is reported
      ...npmPackages.filter((p) => p.type === 'npm' && p.name === owned.name && p.version === owned.version && !p.osPackage).map(() => `GHSA-test-ownd-byos ${owned.name} affected`),
    ].sort();
    assert.ok(expected.length >= 2, 'express and yargs are in the app');
    assert.deepEqual(findings.map(summary).sort(), expected);
    assert.deepEqual(findings.find((f) => f.id === 'CVE-2024-43796')?.aliases, ['GHSA-qw6h-vgh9-j6wx']);
    assert.ok(
      !findings.some((f) => f.id === 'GHSA-test-ownd-byos' && f.location.path === owned.location),
      'a Debian-installed npm package is left to its dpkg advisories',
    );
  });
});

describe('vulnerability scan of a directory', () => {
  it('bulwark fs matches lockfile packages the same way', async () => {
    const dir = fileURLToPath(new URL('../fixtures/npm-app/', import.meta.url));
    const r = await runCli(['fs', '--scanners', 'vuln', dir, '--cache-dir', cacheDir, '--db-url', server.baseUrl, '--format', 'json']);
    const findings = findingsOf(r);
    assert.deepEqual([...new Set(findings.map(summary))].sort(), ['CVE-2024-43796 express fixed 4.20.0', 'GHSA-test-yarg-semv yargs fixed 17.7.3']);
    assert.ok(findings.every((f) => f.location.path?.endsWith('package-lock.json')));
  });
});

describe('database freshness during a scan', () => {
  it('a scan with no database fetches only the ecosystems the image needs', async () => {
    const own = join(work, 'auto');
    const before = server.requests.length;
    const r = await runCli(['image', '--scanners', 'vuln', '--input', debianArchive, '--cache-dir', own, '--db-url', server.baseUrl, '--no-progress', '--format', 'json']);
    const paths = server.requests.slice(before).map((q) => q.path);
    assert.deepEqual(paths, ['/Debian/all.zip']);
    assert.ok(findingsOf(r).some((f) => f.id === 'CVE-2016-2781'));
  });

  it('a directory with nothing OSV covers needs no database', async () => {
    const empty = join(work, 'empty-dir');
    await mkdir(empty);
    const r = await runCli(['fs', '--scanners', 'vuln', empty, '--cache-dir', join(work, 'never'), '--offline', '--format', 'json']);
    const doc = json<{ scanners: string[]; findings: Finding[]; vulnerabilityDb?: unknown }>(r);
    assert.deepEqual(doc.scanners, ['vuln']);
    assert.deepEqual(doc.findings, []);
    assert.equal(doc.vulnerabilityDb, undefined);
  });

  it('--offline with no database is a one-line error saying how to get one', async () => {
    const r = await runCli(['image', '--scanners', 'vuln', '--input', debianArchive, '--cache-dir', join(work, 'empty'), '--offline', '--no-progress']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /db (update|import)/);
    assert.equal(r.stdout, '');
  });

  it('a stale database is used with a warning on every scan', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await scan(debianArchive, '--format', 'json', '--skip-db-update', '--db-max-age', '1ms');
      assert.match(r.stderr, /stale|old/i);
      assert.ok(findingsOf(r).length > 0);
    }
  });
});

describe('the README example', () => {
  it('imports the sample records and scans the sample image offline', async () => {
    const own = join(work, 'readme');
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const imported = await runCli(['db', 'import', join(root, 'examples/osv-sample'), '--cache-dir', own, '--no-progress']);
    assert.equal(imported.code, 0, imported.stderr);
    const r = await runCli(['image', '--scanners', 'vuln', '--input', join(root, 'examples/debian-sample.tar'), '--cache-dir', own, '--offline', '--format', 'json', '--no-progress']);
    const ids = findingsOf(r).map((f) => f.id);
    assert.ok(ids.includes('CVE-2016-2781'));
    assert.ok(!ids.includes('CVE-2023-4911'), 'a flaw fixed long ago is not reported');
    const text = await readFile(join(root, 'examples/osv-sample/DSA-5514-1.json'), 'utf8');
    assert.match(text, /2\.36-9\+deb12u3/);
  });
});

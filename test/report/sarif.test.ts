import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { FINGERPRINT_KEY, pathUri, sarifLevel, sarifReporter } from '../../src/report/sarif.js';
import { allResults, debianResult, debianVulnResult } from './fixtures.js';
import { clone, sarifValidator } from './helpers.js';

const validate = sarifValidator();
const render = (r = debianVulnResult()): Log => JSON.parse(sarifReporter.render(r)) as Log;
const rules = (log: Log): ReportingDescriptor[] => log.runs[0]!.tool.driver.rules ?? [];
const results = (log: Log): Result[] => log.runs[0]!.results ?? [];
const ruleById = (log: Log, id: string): ReportingDescriptor => rules(log).find((r) => r.id === id)!;

describe('sarif reporter', () => {
  for (const [name, result] of allResults()) {
    it(`${name}: output validates against the SARIF 2.1.0 schema`, () => {
      assert.deepEqual(validate(JSON.parse(sarifReporter.render(result))), []);
    });
  }

  it('the validator rejects broken logs (the test can fail)', () => {
    const log = render();
    const badLevel = clone(log);
    results(badLevel)[0]!.level = 'critical' as Result['level'];
    assert.notDeepEqual(validate(badLevel), []);
    const noMessage = clone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete noMessage.runs[0]!.results[0]!['message'];
    assert.notDeepEqual(validate(noMessage), []);
    assert.notDeepEqual(validate({ ...log, version: '2.0.0' }), []);
    const badUri = clone(log);
    rules(badUri)[0]!.helpUri = 'not a uri';
    assert.notDeepEqual(validate(badUri), []);
  });

  it('describes one run of bulwark', () => {
    const log = render();
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'bulwark');
    assert.equal(driver.version, '0.1.0');
    assert.equal(driver.informationUri, undefined, 'no project URL is invented');
    assert.deepEqual(log.runs[0]!.originalUriBaseIds?.['ROOTPATH']?.uri, 'file:///');
  });

  it('has one rule per advisory id, referenced by ruleId and ruleIndex', () => {
    const result = debianVulnResult();
    const log = render(result);
    const ids = [...new Set(result.findings.map((f) => f.id))].sort();
    assert.deepEqual(rules(log).map((r) => r.id), ids);
    assert.equal(results(log).length, result.findings.length);
    for (const r of results(log)) assert.equal(rules(log)[r.ruleIndex!]!.id, r.ruleId);
    const pkcs12 = results(log).filter((r) => r.ruleId === 'CVE-2024-0727');
    assert.deepEqual(pkcs12.map((r) => r.properties?.['purl']).sort(), [
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
      'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    ]);
    const help = ruleById(log, 'CVE-2024-0727').help!;
    assert.match(help.text, /libssl3/);
    assert.match(help.text, /openssl; installed: 3\.0\.11-1~deb12u2; fixed: 3\.0\.13-1~deb12u1/);
    assert.match(help.markdown ?? '', /\| `libssl3` \| `3\.0\.11-1~deb12u2` \| `3\.0\.13-1~deb12u1` \| fixed in 3\.0\.13-1~deb12u1 \|/);
    assert.match(help.markdown ?? '', /<https:\/\/www\.openssl\.org\/news\/secadv\/20240125\.txt>/);
  });

  it('describes each rule with title, description, help link, tags and security-severity', () => {
    const log = render();
    const curl = ruleById(log, 'CVE-2023-38545');
    assert.equal(curl.shortDescription?.text, 'curl: heap based buffer overflow in the SOCKS5 proxy handshake');
    assert.equal(curl.fullDescription?.text, curl.shortDescription?.text, 'no description: the title');
    assert.equal(curl.helpUri, 'https://curl.se/docs/CVE-2023-38545.html');
    assert.deepEqual(curl.defaultConfiguration, { level: 'error' });
    assert.deepEqual(curl.properties?.tags, ['vulnerability', 'security', 'CRITICAL', 'DSA-5523-1']);
    assert.equal(curl.properties?.['security-severity'], '9.8');
    assert.equal(curl.properties?.['precision'], 'very-high');

    const pkcs12 = ruleById(log, 'CVE-2024-0727');
    assert.match(pkcs12.fullDescription?.text ?? '', /^Processing a maliciously formatted PKCS12 file/);
    // The highest CVSS score, v4.0 here, whichever version it is.
    assert.equal(ruleById(log, 'CVE-2024-4068').properties?.['security-severity'], '8.7');
    assert.deepEqual(ruleById(log, 'CVE-2024-4068').properties?.tags, ['vulnerability', 'security', 'HIGH', 'GHSA-grv7-fg5c-xmjg']);
    // Severity from Debian's urgency (LOW), score from the CVSS vector: GitHub reads the score.
    assert.equal(ruleById(log, 'CVE-2023-4806').properties?.['security-severity'], '5.9');
    assert.deepEqual(ruleById(log, 'CVE-2023-4806').defaultConfiguration, { level: 'note' });

    const unknown = ruleById(log, 'CVE-2011-4116');
    assert.equal(unknown.properties?.['security-severity'], undefined);
    assert.equal(unknown.helpUri, 'https://osv.dev/vulnerability/CVE-2011-4116', 'no reference: the OSV page');
  });

  it('scores a rated finding without CVSS in the middle of its GitHub band', () => {
    const result = debianVulnResult();
    const f = result.findings.find((x) => x.id === 'CVE-2024-2961')!;
    f.vulnerability!.cvss = [];
    assert.equal(ruleById(render(result), 'CVE-2024-2961').properties?.['security-severity'], '8.0');
  });

  it('maps severities to levels', () => {
    assert.deepEqual(
      (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const).map(sarifLevel),
      ['error', 'error', 'warning', 'note', 'note'],
    );
    const log = render();
    const level = (id: string): string | undefined => results(log).find((r) => r.ruleId === id)?.level;
    assert.equal(level('CVE-2023-38545'), 'error');
    assert.equal(level('CVE-2024-0727'), 'warning');
    assert.equal(level('CVE-2011-4116'), 'note');
  });

  it('locates each result in the package database and names the package by purl', () => {
    const result = debianVulnResult();
    const log = render(result);
    const braces = results(log).find((r) => r.ruleId === 'CVE-2024-4068')!;
    const location = braces.locations![0]!;
    assert.deepEqual(location.physicalLocation?.artifactLocation, { uri: 'app/node_modules/braces/package.json', uriBaseId: 'ROOTPATH' });
    assert.deepEqual(location.logicalLocations, [{ name: 'braces', fullyQualifiedName: 'pkg:npm/braces@3.0.2', kind: 'module' }]);
    assert.match(braces.message.text ?? '', /^braces 3\.0\.2 is affected by CVE-2024-4068 \(HIGH\): fixed in 3\.0\.3\./);
    const finding = result.findings.find((f) => f.id === 'CVE-2024-4068')!;
    assert.deepEqual(braces.partialFingerprints, { [FINGERPRINT_KEY]: finding.fingerprint });
    assert.deepEqual(braces.properties, {
      severity: 'HIGH',
      aliases: ['GHSA-grv7-fg5c-xmjg'],
      purl: 'pkg:npm/braces@3.0.2',
      installedVersion: '3.0.2',
      fixedVersions: ['3.0.3'],
      status: 'fixed',
      ecosystem: 'npm',
      layer: { index: 1, diffId: finding.location.layer!.diffId },
    });
    const lodash = results(log).find((r) => r.ruleId === 'CVE-2021-23337')!;
    assert.equal(lodash.properties?.['status'], 'possibly_affected');
    assert.match(lodash.message.text ?? '', /possibly affected \(unparseable version\)/);
    assert.equal(pathUri('/opt/my app/lib#1/x.jar!/BOOT-INF/lib/y.jar'), 'opt/my%20app/lib%231/x.jar!/BOOT-INF/lib/y.jar');
  });

  it('marks suppressed findings with an external suppression and its justification', () => {
    const log = render();
    const suppressed = results(log).filter((r) => r.suppressions);
    assert.deepEqual(suppressed.map((r) => r.ruleId).sort(), ['CVE-2023-45853', 'CVE-2023-4641']);
    const zlib = suppressed.find((r) => r.ruleId === 'CVE-2023-45853')!;
    assert.equal(zlib.suppressions![0]!.kind, 'external');
    assert.equal(
      zlib.suppressions![0]!.justification,
      'VEX statement in vex/debian.openvex.json (vulnerable_code_not_present): minizip is not built into the zlib1g package',
    );
    const login = suppressed.find((r) => r.ruleId === 'CVE-2023-4641')!;
    assert.match(login.suppressions![0]!.justification ?? '', /^ignore file entry in \.bulwarkignore\.yaml: no interactive users/);
    assert.equal(results(log).find((r) => r.ruleId === 'CVE-2024-4068')!.suppressions, undefined);
  });

  it('writes an empty run when no scanner ran or nothing was found', () => {
    const log = render(debianResult());
    assert.deepEqual(rules(log), []);
    assert.deepEqual(results(log), []);
  });

  it('is deterministic: same input, same bytes, whatever the finding order', () => {
    const a = debianVulnResult();
    const b = debianVulnResult();
    b.findings.reverse();
    assert.equal(sarifReporter.render(a), sarifReporter.render(a));
    assert.equal(sarifReporter.render(a), sarifReporter.render(b));
  });
});

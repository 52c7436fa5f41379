import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { imageRules } from '../../src/modules/rules/image/index.js';
import { ruleMeta } from '../../src/modules/rules/registry.js';
import { FINGERPRINT_KEY, sarifReporter } from '../../src/report/sarif.js';
import { SECRETS, checksResult } from './checks-fixtures.js';
import { debianVulnResult } from './fixtures.js';
import { clone, sarifValidator } from './helpers.js';

const validate = sarifValidator();
const render = (r: ImageScanResult = checksResult()): Log => JSON.parse(sarifReporter.render(r)) as Log;
const rules = (log: Log): ReportingDescriptor[] => log.runs[0]!.tool.driver.rules ?? [];
const results = (log: Log): Result[] => log.runs[0]!.results ?? [];
const ruleById = (log: Log, id: string): ReportingDescriptor => rules(log).find((r) => r.id === id)!;

/** The vulnerability scan with the checks' findings added. */
function combined(): ImageScanResult {
  const vulns = debianVulnResult();
  const c = checksResult();
  return { ...vulns, scanners: [...vulns.scanners, ...c.scanners], findings: [...vulns.findings, ...c.findings], lean: c.lean };
}

describe('sarif reporter: misconfigurations and secrets', () => {
  it('validates against the SARIF 2.1.0 schema, alone and with vulnerabilities', () => {
    assert.deepEqual(validate(render()), []);
    assert.deepEqual(validate(render(combined())), []);
    const broken = clone(render());
    results(broken)[0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    assert.notDeepEqual(validate(broken), [], 'the validator can fail on these results too');
  });

  it('describes a rule from its metadata: title, rationale, help, first reference, tags, band score', () => {
    const log = render();
    const meta = ruleMeta('BW-DF-001')!;
    assert.ok(meta, 'the registry knows the Dockerfile rules');
    const rule = ruleById(log, 'BW-DF-001');
    assert.equal(rule.shortDescription?.text, meta.title);
    assert.equal(rule.fullDescription?.text, meta.rationale);
    assert.equal(rule.helpUri, meta.references[0]);
    assert.deepEqual(rule.defaultConfiguration, { level: 'error' });
    assert.deepEqual(rule.properties?.tags, ['misconfiguration', 'security', 'HIGH', 'CIS-DI-0001', 'CIS-DOCKER-4.1', 'DL3002']);
    assert.equal(rule.properties?.['security-severity'], '8.0');
    const help = rule.help!;
    assert.ok(help.text.includes(meta.rationale) && help.text.includes(meta.remediation));
    assert.match(help.text, /Other ids: CIS-DI-0001, CIS-DOCKER-4\.1, DL3002/);
    for (const ref of meta.references) {
      assert.ok(help.text.includes(`- ${ref}`), ref);
      assert.ok(help.markdown?.includes(`- <${ref}>`), ref);
    }
    assert.ok(help.markdown?.includes(`**Remediation:** ${meta.remediation}`));

    const low = ruleById(log, 'BW-DF-015');
    assert.equal(low.properties?.['security-severity'], '2.0');
    assert.deepEqual(low.defaultConfiguration, { level: 'note' });
    assert.equal(ruleById(log, 'BW-DF-006').properties?.['security-severity'], '5.5');
  });

  it('describes secret rules from metadata, tagged secret, scored by band', () => {
    const log = render();
    const meta = ruleMeta('BW-SEC-002')!;
    const rule = ruleById(log, 'BW-SEC-002');
    assert.equal(rule.shortDescription?.text, meta.title);
    assert.equal(rule.fullDescription?.text, meta.rationale);
    assert.equal(rule.properties?.tags?.[0], 'secret');
    assert.ok(meta.aliases.every((a) => rule.properties?.tags?.includes(a)));
    assert.equal(rule.properties?.['security-severity'], '9.5');
    // A descriptor is about the rule, never about one finding: no secret value in it, masked or not.
    for (const r of rules(log).filter((x) => x.id.startsWith('BW-SEC-'))) assert.ok(!JSON.stringify(r).includes('********'), r.id);
  });

  it('describes image rules from the image pack metadata', () => {
    const meta = imageRules()[0]!;
    const result = checksResult();
    const template = result.findings.find((f) => f.id === 'BW-TEST-001')!;
    result.findings.push({ ...template, id: meta.id, title: meta.title, aliases: [...meta.aliases], references: [...meta.references], fingerprint: 'f'.repeat(64) });
    const log = render(result);
    assert.deepEqual(validate(log), []);
    const rule = ruleById(log, meta.id);
    assert.equal(rule.shortDescription?.text, meta.title);
    assert.equal(rule.fullDescription?.text, meta.rationale);
    assert.ok(rule.help?.text.includes(meta.remediation));
    assert.ok(meta.aliases.every((a) => rule.properties?.tags?.includes(a)));
  });

  it('falls back to what the findings say for a rule no pack defines', () => {
    const log = render();
    const rule = ruleById(log, 'BW-TEST-001');
    assert.equal(rule.shortDescription?.text, 'Image runs as root');
    assert.equal(rule.fullDescription?.text, 'Image runs as root');
    assert.equal(rule.helpUri, 'https://docs.docker.com/build/building/best-practices/#user', 'the first reference that is a URL');
    assert.match(rule.help!.text, /Remediation: Add a non-root USER/);
    assert.deepEqual(rule.properties?.tags, ['misconfiguration', 'security', 'HIGH', 'CIS-DI-0001', 'CIS-DOCKER-4.1']);
    assert.equal(ruleById(log, 'BW-TEST-002').helpUri, undefined);
  });

  it('writes each result with its description, file and line, or config entry, and its layer', () => {
    const result = checksResult();
    const log = render(result);
    assert.equal(results(log).length, result.findings.length);
    for (const r of results(log)) assert.equal(rules(log)[r.ruleIndex!]!.id, r.ruleId);

    const df = results(log).find((r) => r.ruleId === 'BW-DF-002')!;
    assert.equal(df.level, 'error');
    assert.match(df.message.text ?? '', /^ENV GITHUB_TOKEN holds a literal value \(\*{8}, 40 characters\)$/);
    assert.deepEqual(df.locations![0]!.physicalLocation, { artifactLocation: { uri: 'src/Dockerfile', uriBaseId: 'ROOTPATH' }, region: { startLine: 3 } });
    const dfFinding = result.findings.find((f) => f.id === 'BW-DF-002')!;
    assert.deepEqual(df.partialFingerprints, { [FINGERPRINT_KEY]: dfFinding.fingerprint });

    const aws = results(log).find((r) => r.ruleId === 'BW-SEC-001')!;
    assert.equal(aws.message.text, `AWS access key id: ${SECRETS.akia.slice(0, 4)}********.`);
    assert.deepEqual(aws.locations![0]!.physicalLocation, { artifactLocation: { uri: 'app/.env', uriBaseId: 'ROOTPATH' }, region: { startLine: 3 } });
    const layer = result.artifact.layers[1]!;
    assert.deepEqual(aws.properties?.['layer'], { index: 1, diffId: layer.diffId });

    const env = results(log).find((r) => r.message.text?.includes('ENV API_TOKEN'))!;
    assert.equal(env.locations![0]!.physicalLocation, undefined);
    assert.deepEqual(env.locations![0]!.logicalLocations, [{ fullyQualifiedName: 'ENV API_TOKEN', kind: 'resource' }]);

    const user = results(log).find((r) => r.ruleId === 'BW-TEST-001')!;
    assert.deepEqual(user.locations![0]!.logicalLocations, [{ fullyQualifiedName: 'config.User', kind: 'resource' }]);
    assert.equal(user.message.text, 'config.User is empty: the container runs as root');

    const curl = results(log).find((r) => r.ruleId === 'BW-TEST-002')!;
    assert.equal(curl.suppressions?.[0]?.kind, 'external');
    assert.equal(curl.locations![0]!.physicalLocation?.region?.startLine, 1, 'a whole file: line 1');
  });

  it('leaves the vulnerability rules and results as they were', () => {
    const alone = render(debianVulnResult());
    const both = render(combined());
    const vulnIds = new Set(rules(alone).map((r) => r.id));
    assert.deepEqual(rules(both).filter((r) => vulnIds.has(r.id)), rules(alone));
    const strip = (rs: Result[]): Result[] => rs.filter((r) => vulnIds.has(r.ruleId!)).map(({ ruleIndex: _i, ...r }) => r);
    assert.deepEqual(strip(results(both)), strip(results(alone)));
    assert.deepEqual(log(both).properties?.['scanners'], ['misconfig', 'secret', 'vuln']);
    function log(l: Log): Log['runs'][number] {
      return l.runs[0]!;
    }
  });

  it('is deterministic whatever the finding order', () => {
    const a = checksResult();
    const b = checksResult();
    b.findings.reverse();
    assert.equal(sarifReporter.render(a), sarifReporter.render(b));
  });
});

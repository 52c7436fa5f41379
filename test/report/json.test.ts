import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SEVERITIES, compareFindings, type Finding } from '../../src/core/finding.js';
import { REPORT_SCHEMA_VERSION } from '../../src/core/scan-result.js';
import { jsonReporter } from '../../src/report/json.js';
import { allResults, debianResult, debianVulnResult } from './fixtures.js';
import { clone, readJson, reportValidator } from './helpers.js';

type Doc = { packages: Record<string, unknown>[]; artifact: Record<string, unknown> } & Record<string, unknown>;
const validate = reportValidator();
const render = (r = debianResult()): Doc => JSON.parse(jsonReporter.render(r)) as Doc;

describe('json reporter', () => {
  for (const [name, result] of allResults()) {
    it(`${name}: output validates against schemas/bulwark-image-report-v1.schema.json`, () => {
      assert.deepEqual(validate(JSON.parse(jsonReporter.render(result))), []);
    });
  }

  it('keeps every package and the schema version', () => {
    const result = debianResult();
    const doc = render(result);
    assert.equal(doc['schemaVersion'], REPORT_SCHEMA_VERSION);
    assert.equal(doc.packages.length, result.packages.length);
    assert.ok(doc.packages.every((p) => typeof p['purl'] === 'string' && (p['purl'] as string).startsWith('pkg:deb/debian/')));
    const login = doc.packages.find((p) => p['name'] === 'login');
    assert.equal(login?.['epoch'], 1);
    assert.equal(login?.['version'], '1:4.13+dfsg1-1');
  });

  it('writes keys in a fixed order and sorts arrays', () => {
    const doc = render();
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'createdAt', 'artifact', 'os', 'packages', 'notices', 'scanners', 'findings']);
    assert.deepEqual(Object.keys(doc.packages[0]!).slice(0, 3), ['type', 'name', 'version']);
    const names = doc.packages.map((p) => p['name'] as string);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(doc.artifact['repoTags'], ['debian:12', 'debian:bookworm']);
    const curl = doc.packages.find((p) => p['name'] === 'curl');
    assert.deepEqual(curl?.['files'], ['/usr/bin/curl', '/usr/share/doc/curl/copyright']);
    assert.deepEqual(curl?.['licenses'], ['BSD-4-Clause-UC', 'ISC', 'curl']);
  });

  it('is deterministic: input order does not matter and two scans differ only in createdAt', () => {
    const a = debianResult();
    const b = debianResult();
    b.packages.reverse();
    b.notices.reverse();
    b.artifact.layers.reverse();
    b.artifact.repoTags.reverse();
    assert.equal(jsonReporter.render(a), jsonReporter.render(b));
    b.createdAt = '2024-06-01T00:00:00.000Z';
    const diff = jsonReporter.render(a).split('\n').filter((line, i) => line !== jsonReporter.render(b).split('\n')[i]);
    assert.deepEqual(diff, ['  "createdAt": "2024-05-01T12:34:56.789Z",']);
  });

  it('rejects broken documents (the schema can fail)', () => {
    const doc = render();
    const noPurl = clone(doc);
    delete noPurl.packages[0]!['purl'];
    assert.ok(validate(noPurl).some((e) => e.keyword === 'required' && e.params['missingProperty'] === 'purl'));
    const extra = clone(doc);
    extra.packages[0]!['cpe'] = 'cpe:2.3:a:x';
    assert.ok(validate(extra).some((e) => e.keyword === 'additionalProperties'));
    const badDigest = clone(doc);
    badDigest.artifact['configDigest'] = 'not-a-digest';
    assert.notDeepEqual(validate(badDigest), []);
    assert.notDeepEqual(validate({ ...doc, schemaVersion: 2 }), []);
  });

  it('writes findings in report order with a fixed key order and sorted arrays', () => {
    const result = debianVulnResult();
    const doc = render(result);
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'createdAt', 'artifact', 'os', 'packages', 'notices', 'scanners', 'findings', 'vulnerabilityDb']);
    assert.deepEqual(doc['scanners'], ['vuln']);
    const findings = doc['findings'] as Finding[];
    assert.equal(findings.length, result.findings.length);
    assert.deepEqual(findings.map((f) => f.fingerprint), [...result.findings].sort(compareFindings).map((f) => f.fingerprint));
    const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'most severe first');
    assert.deepEqual(findings.slice(0, 2).map((f) => f.id), ['CVE-2023-38545', 'CVE-2023-45853']);
    const braces = findings.find((f) => f.id === 'CVE-2024-4068')!;
    assert.deepEqual(Object.keys(braces), ['id', 'kind', 'severity', 'stackLayer', 'target', 'location', 'title', 'aliases', 'references', 'remediation', 'fingerprint', 'vulnerability']);
    assert.deepEqual(Object.keys(braces.vulnerability!), ['package', 'ecosystem', 'status', 'fixedVersions', 'advisories', 'cvss', 'severitySource', 'published', 'modified']);
    assert.deepEqual(Object.keys(braces.location), ['path', 'layer']);
    assert.deepEqual(braces.vulnerability!.cvss.map((c) => c.version), ['4.0', '3.1'], 'highest score first');
    assert.deepEqual(Object.keys(braces.vulnerability!.cvss[0]!), ['version', 'vector', 'score', 'severity', 'source']);
    const zlib = findings.find((f) => f.id === 'CVE-2023-45853')!;
    assert.deepEqual(Object.keys(zlib.suppressed!), ['kind', 'source', 'reason', 'status']);
    const db = doc['vulnerabilityDb'] as { sources: { ecosystem: string }[] } & Record<string, unknown>;
    assert.deepEqual(Object.keys(db), ['schemaVersion', 'updatedAt', 'stale', 'sources']);
    assert.deepEqual(db.sources.map((s) => s.ecosystem), ['Debian', 'npm']);
  });

  it('sorts aliases, references and advisories but keeps fixedVersions in version order', () => {
    const result = debianVulnResult();
    const f = result.findings.find((x) => x.id === 'CVE-2024-4068')!;
    f.aliases = ['GHSA-grv7-fg5c-xmjg', 'BIT-braces-2024-4068'];
    f.references = ['https://z.example/advisory', 'https://a.example/advisory'];
    f.vulnerability!.advisories = ['GHSA-grv7-fg5c-xmjg', 'BIT-braces-2024-4068'];
    f.vulnerability!.fixedVersions = ['3.0.3', '3.0.10'];
    const out = (doc: Doc): Finding => (doc['findings'] as Finding[]).find((x) => x.id === 'CVE-2024-4068')!;
    const written = out(render(result));
    assert.deepEqual(written.aliases, ['BIT-braces-2024-4068', 'GHSA-grv7-fg5c-xmjg']);
    assert.deepEqual(written.references, ['https://a.example/advisory', 'https://z.example/advisory']);
    assert.deepEqual(written.vulnerability!.advisories, ['BIT-braces-2024-4068', 'GHSA-grv7-fg5c-xmjg']);
    assert.deepEqual(written.vulnerability!.fixedVersions, ['3.0.3', '3.0.10']);
  });

  it('is deterministic with findings: their input order does not matter', () => {
    const a = debianVulnResult();
    const b = debianVulnResult();
    b.findings.reverse();
    b.scanners.reverse();
    b.vulnerabilityDb!.sources.reverse();
    for (const f of b.findings) {
      f.aliases.reverse();
      f.references.reverse();
      f.vulnerability!.advisories.reverse();
      f.vulnerability!.cvss.reverse();
    }
    assert.equal(jsonReporter.render(a), jsonReporter.render(b));
  });

  it('rejects broken findings (the schema can fail)', () => {
    const doc = render(debianVulnResult()) as Doc & { findings: Record<string, unknown>[] };
    const noDetail = clone(doc);
    delete noDetail.findings[0]!['vulnerability'];
    assert.ok(validate(noDetail).some((e) => e.keyword === 'required' && e.params['missingProperty'] === 'vulnerability'));
    const badSeverity = clone(doc);
    badSeverity.findings[0]!['severity'] = 'SEVERE';
    assert.notDeepEqual(validate(badSeverity), []);
    const badFingerprint = clone(doc);
    badFingerprint.findings[0]!['fingerprint'] = 'sha256:abc';
    assert.notDeepEqual(validate(badFingerprint), []);
    const badStatus = clone(doc);
    (badStatus.findings[0]!['vulnerability'] as Record<string, unknown>)['status'] = 'patched';
    assert.notDeepEqual(validate(badStatus), []);
    const fixedWithoutVersion = clone(doc);
    (fixedWithoutVersion.findings[0]!['vulnerability'] as Record<string, unknown>)['fixedVersions'] = [];
    assert.notDeepEqual(validate(fixedWithoutVersion), []);
    const badDb = clone(doc);
    (badDb['vulnerabilityDb'] as Record<string, unknown>)['updatedAt'] = 'yesterday';
    assert.notDeepEqual(validate(badDb), []);
  });

  it('docs/json-schema.md explains every fix status value', () => {
    const docs = readFileSync(new URL('../../docs/json-schema.md', import.meta.url), 'utf8');
    const schema = readJson('schemas/bulwark-image-report-v1.schema.json') as { $defs: { vulnerability: { properties: { status: { enum: string[] } } } } };
    const statuses = schema.$defs.vulnerability.properties.status.enum;
    assert.equal(statuses.length, 6);
    const missing = statuses.filter((s) => !new RegExp(`^\\| \`${s}\` \\| .{20,}`, 'm').test(docs));
    assert.deepEqual(missing, []);
  });

  it('docs/json-schema.md documents every schema property', () => {
    const docs = readFileSync(new URL('../../docs/json-schema.md', import.meta.url), 'utf8');
    const schema = readJson('schemas/bulwark-image-report-v1.schema.json') as { properties: object; $defs: Record<string, { properties?: object }> };
    const names = new Set([...Object.keys(schema.properties), ...Object.values(schema.$defs).flatMap((d) => Object.keys(d.properties ?? {}))]);
    const missing = [...names].filter((n) => !docs.includes(`\`${n}\``));
    assert.deepEqual(missing, []);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SCANNER_IDS } from '../../src/core/scan-result.js';
import { jsonReporter } from '../../src/report/json.js';
import { checksResult } from './checks-fixtures.js';
import { debianVulnResult } from './fixtures.js';
import { clone, readJson, reportValidator } from './helpers.js';

type Doc = Record<string, unknown> & { findings: Record<string, unknown>[]; lean: Lean };
type Lean = Record<string, unknown> & {
  efficiency: Record<string, unknown> & { layers: Record<string, unknown>[]; wastedPaths: Record<string, unknown>[]; largestDirs: Record<string, unknown>[] };
  removableTools: Record<string, unknown>[];
};
const validate = reportValidator();
const render = (r = checksResult()): Doc => JSON.parse(jsonReporter.render(r)) as Doc;

describe('json reporter: misconfigurations, secrets and the lean-image report', () => {
  it('validates against the schema, alone and together with vulnerabilities', () => {
    assert.deepEqual(validate(render()), []);
    const vulns = debianVulnResult();
    const c = checksResult();
    assert.deepEqual(validate(render({ ...vulns, scanners: [...vulns.scanners, ...c.scanners], findings: [...vulns.findings, ...c.findings], lean: c.lean })), []);
    const directory = checksResult();
    directory.lean = { removableTools: [] };
    assert.deepEqual(validate(render(directory)), []);
  });

  it('accepts the relative Dockerfile paths `bulwark dockerfile` writes', () => {
    const result = checksResult();
    for (const f of result.findings) if (f.location.path === '/src/Dockerfile') f.location.path = 'src/Dockerfile';
    assert.deepEqual(validate(render(result)), []);
  });

  it('writes lean last, with a fixed key order and sorted arrays', () => {
    const doc = render();
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'createdAt', 'artifact', 'os', 'packages', 'notices', 'scanners', 'findings', 'lean']);
    assert.deepEqual(doc['scanners'], ['misconfig', 'secret']);
    const lean = doc.lean;
    assert.deepEqual(Object.keys(lean), ['efficiency', 'removableTools']);
    assert.deepEqual(Object.keys(lean.efficiency), ['totalBytes', 'finalBytes', 'wastedBytes', 'efficiency', 'layers', 'wastedPaths', 'largestDirs']);
    assert.deepEqual(lean.efficiency.layers.map((l) => l['index']), [0, 1]);
    assert.deepEqual(Object.keys(lean.efficiency.layers[0]!), ['index', 'addedBytes', 'addedFiles', 'wastedBytes', 'wastedFiles']);
    assert.deepEqual(lean.efficiency.wastedPaths.map((p) => p['wastedBytes']), [8_000_000, 4_500_000, 20_000]);
    assert.deepEqual(lean.efficiency.wastedPaths[1], { path: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', wastedBytes: 4_500_000, layers: [0, 1], removed: false });
    assert.deepEqual(lean.efficiency.largestDirs.map((d) => d['path']), ['/usr', '/usr/lib', '/usr/share']);
    assert.deepEqual(Object.keys(lean.efficiency.largestDirs[0]!), ['path', 'bytes', 'files']);
    assert.deepEqual(lean.removableTools, [
      { category: 'package-manager', package: 'apt', paths: ['/usr/bin/apt', '/usr/bin/apt-get'], bytes: 4_300_000 },
      { category: 'shell', package: 'bash', paths: ['/bin/bash', '/usr/bin/bash'], bytes: 1_500_000 },
      { category: 'network-tool', package: 'curl', paths: ['/usr/bin/curl'], bytes: 452_000 },
    ]);
  });

  it('passes misconfiguration and secret findings through in report order', () => {
    const doc = render();
    const result = checksResult();
    assert.equal(doc.findings.length, result.findings.length);
    assert.deepEqual(doc.findings.slice(0, 3).map((f) => f['id']), ['BW-SEC-002', 'BW-SEC-006', 'BW-SEC-006']);
    const df = doc.findings.find((f) => f['id'] === 'BW-DF-001')!;
    assert.deepEqual(Object.keys(df), ['id', 'kind', 'severity', 'stackLayer', 'target', 'location', 'title', 'description', 'aliases', 'references', 'remediation', 'fingerprint']);
    assert.deepEqual(df['location'], { path: '/src/Dockerfile', line: 5 });
    assert.deepEqual(df['aliases'], ['CIS-DI-0001', 'CIS-DOCKER-4.1', 'DL3002']);
    const env = doc.findings.find((f) => (f['location'] as { resource?: string }).resource === 'ENV API_TOKEN')!;
    assert.equal(env['kind'], 'secret');
    assert.equal(env['description'], 'GitHub personal access token in ENV API_TOKEN: ghp_********.');
  });

  it('is deterministic: input order does not matter', () => {
    const a = checksResult();
    const b = checksResult();
    b.findings.reverse();
    b.scanners.reverse();
    b.lean!.removableTools.reverse();
    for (const t of b.lean!.removableTools) t.paths.reverse();
    const e = b.lean!.efficiency!;
    e.layers.reverse();
    e.wastedPaths.reverse();
    e.largestDirs.reverse();
    for (const p of e.wastedPaths) p.layers.reverse();
    assert.equal(jsonReporter.render(a), jsonReporter.render(b));
  });

  it('rejects broken documents (the schema can fail)', () => {
    const doc = render();
    const broken = (change: (d: Doc) => void): Doc => {
      const d = clone(doc);
      change(d);
      return d;
    };
    assert.notDeepEqual(validate(broken((d) => { d['scanners'] = ['misconfig', 'lint']; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.lean.efficiency['efficiency'] = 1.5; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.lean.efficiency['wastedBytes'] = -1; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.lean.efficiency.wastedPaths[0]!['path'] = 'var/lib'; })), []);
    assert.notDeepEqual(validate(broken((d) => { delete d.lean.efficiency.layers[0]!['wastedFiles']; })), []);
    assert.notDeepEqual(validate(broken((d) => { delete (d.lean as Record<string, unknown>)['removableTools']; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.lean.removableTools[0]!['size'] = 1; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.lean['extra'] = true; })), []);
    assert.notDeepEqual(validate(broken((d) => { d.findings[0]!['location'] = { path: '' }; })), []);
    // A misconfiguration or secret finding never carries vulnerability details.
    const vuln = render(debianVulnResult()).findings[0]!['vulnerability'];
    assert.notDeepEqual(validate(broken((d) => { d.findings[0]!['vulnerability'] = vuln; })), []);
  });

  it('the schema lists every scanner, and the docs name each one and every lean-report field', () => {
    const schema = readJson('schemas/bulwark-image-report-v1.schema.json') as { properties: { scanners: { items: { enum: string[] } } }; $defs: Record<string, { properties?: object }> };
    assert.deepEqual([...schema.properties.scanners.items.enum].sort(), [...SCANNER_IDS, 'host'].sort());
    const docs = readFileSync(new URL('../../docs/json-schema.md', import.meta.url), 'utf8');
    for (const s of SCANNER_IDS) assert.ok(docs.includes(`\`${s}\``), s);
    for (const def of ['lean', 'efficiency', 'layerEfficiency', 'wastedPath', 'directorySize', 'removableTool']) {
      assert.ok(schema.$defs[def], def);
      assert.match(docs, new RegExp(`^#+ ${def}$`, 'm'), `docs have a section for ${def}`);
    }
  });
});

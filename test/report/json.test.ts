import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REPORT_SCHEMA_VERSION } from '../../src/core/scan-result.js';
import { jsonReporter } from '../../src/report/json.js';
import { allResults, debianResult } from './fixtures.js';
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
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'createdAt', 'artifact', 'os', 'packages', 'notices']);
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

  it('docs/json-schema.md documents every schema property', () => {
    const docs = readFileSync(new URL('../../docs/json-schema.md', import.meta.url), 'utf8');
    const schema = readJson('schemas/bulwark-image-report-v1.schema.json') as { properties: object; $defs: Record<string, { properties?: object }> };
    const names = new Set([...Object.keys(schema.properties), ...Object.values(schema.$defs).flatMap((d) => Object.keys(d.properties ?? {}))]);
    const missing = [...names].filter((n) => !docs.includes(`\`${n}\``));
    assert.deepEqual(missing, []);
  });
});

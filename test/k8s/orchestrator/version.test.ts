import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { K8S_EOL_DATA_ENV, SHIPPED_K8S_EOL_FILE, loadK8sEolData, parseK8sEolData } from '../../../src/k8s/orchestrator/eol-data.js';
import { compareK8sVersions, parseK8sVersion } from '../../../src/k8s/orchestrator/version.js';

describe('parseK8sVersion', () => {
  it('reads plain, v-prefixed and distribution-suffixed versions', () => {
    assert.equal(parseK8sVersion('v1.29.3')?.core, '1.29.3');
    assert.equal(parseK8sVersion('1.29.3')?.cycle, '1.29');
    assert.equal(parseK8sVersion('v1.29.3-eks-1234abc')?.core, '1.29.3');
    assert.equal(parseK8sVersion('v1.30.2+k3s1')?.core, '1.30.2');
    assert.equal(parseK8sVersion('v1.28.9-gke.1000000')?.core, '1.28.9');
    assert.equal(parseK8sVersion('1.31')?.core, '1.31.0');
    assert.equal(parseK8sVersion(' v1.30.0-rc.1 ')?.raw, ' v1.30.0-rc.1 ');
  });
  it('rejects what is not a version', () => {
    for (const bad of ['', 'latest', 'v1', '1.x.3', 'v1.29.3 extra', '1.29.3.4']) assert.equal(parseK8sVersion(bad), undefined, bad);
  });
  it('orders versions numerically', () => {
    assert.ok(compareK8sVersions(parseK8sVersion('1.9.0')!, parseK8sVersion('1.10.0')!) < 0);
    assert.ok(compareK8sVersions(parseK8sVersion('1.30.10')!, parseK8sVersion('1.30.9')!) > 0);
    assert.equal(compareK8sVersions(parseK8sVersion('v1.30.2-eks-1')!, parseK8sVersion('1.30.2')!), 0);
  });
});

describe('Kubernetes end-of-life data', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bw-k8s-eol-'));
  const write = (name: string, text: string): string => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  it('the shipped file validates and covers 1.25 to 1.34', () => {
    const data = loadK8sEolData(SHIPPED_K8S_EOL_FILE);
    for (let m = 25; m <= 34; m++) assert.ok(data.cycles.has(`1.${m}`), `1.${m}`);
    assert.equal(data.cycles.get('1.30')?.latest, '1.30.14');
  });

  it('a file named by the caller (or by the environment) replaces the shipped one', () => {
    const p = write('custom.json', JSON.stringify([{ cycle: '1.99', releaseDate: '2030-01-01', eol: '2031-01-01', latest: '1.99.0' }]));
    assert.deepEqual([...loadK8sEolData(p).cycles.keys()], ['1.99']);
    const before = process.env[K8S_EOL_DATA_ENV];
    process.env[K8S_EOL_DATA_ENV] = p;
    try {
      assert.deepEqual([...loadK8sEolData().cycles.keys()], ['1.99']);
    } finally {
      if (before === undefined) delete process.env[K8S_EOL_DATA_ENV];
      else process.env[K8S_EOL_DATA_ENV] = before;
    }
  });

  it('accepts boolean eol and support as the API sends them', () => {
    const d = parseK8sEolData(JSON.stringify([{ cycle: '1.40', releaseDate: '2028-01-01', eol: false, support: true, latest: '1.40.1', lts: false }]), 'x.json');
    assert.equal(d.cycles.get('1.40')?.eol, false);
  });

  it('malformed data is one line naming the file', () => {
    const cases: [string, RegExp][] = [
      ['{ not json', /bad\.json: not valid JSON/],
      ['{"cycle":"1.30"}', /bad\.json: Kubernetes end-of-life data: document: /],
      ['[]', /no release cycles/],
      [JSON.stringify([{ cycle: '1.30', releaseDate: '2024-04-17', eol: 'soon', latest: '1.30.14' }]), /bad\.json: Kubernetes end-of-life data: 0\.eol: /],
      [JSON.stringify([{ cycle: 'one', releaseDate: '2024-04-17', eol: false, latest: '1.30.14' }]), /0\.cycle: expected a cycle/],
      [JSON.stringify([{ cycle: '1.30', releaseDate: '2024-04-17', eol: false, latest: '1.30.14' }, { cycle: '1.30', releaseDate: '2024-04-17', eol: false, latest: '1.30.14' }]), /cycle 1\.30 is listed twice/],
    ];
    for (const [text, re] of cases) {
      const p = write('bad.json', text);
      assert.throws(() => loadK8sEolData(p), (e: Error) => re.test(e.message) && !e.message.includes('\n'), text);
    }
    assert.throws(() => loadK8sEolData(join(tmp, 'missing.json')), /missing\.json cannot be read \(ENOENT\)/);
  });
});

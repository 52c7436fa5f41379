import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadEolData, loadEolDir, SHIPPED_EOL_DIR } from '../../../src/modules/eol/index.js';
import { describeSupport, runtimeComponents, runtimeSupport } from '../../../src/modules/rules/host/eol/index.js';

const data = loadEolDir(SHIPPED_EOL_DIR);
const now = new Date('2026-11-28T00:00:00Z');

describe('docker-engine.csv and containerd.csv', () => {
  it('parse, state their sources, and list branches newest first with release before end', () => {
    for (const family of ['docker-engine', 'containerd']) {
      const t = data.get(family);
      assert.ok(t, family);
      assert.ok(t.releases.length >= 10);
      assert.match(t.source, new RegExp(`^${family}\\.csv \\(https://\\S+, taken \\d{4}-\\d{2}-\\d{2}\\)$`));
      for (const r of t.releases) if (r.eol && r.released) assert.ok(r.released < r.eol, `${family} ${r.label}`);
      const released = t.releases.map((r) => r.released!);
      assert.deepEqual(released, [...released].sort().reverse(), `${family} newest first`);
    }
  });

  it('dates known branches', () => {
    const support = runtimeSupport(
      [
        { product: 'Docker Engine', family: 'docker-engine', version: '20.10.24+dfsg1' },
        { product: 'Docker Engine', family: 'docker-engine', version: '27.5.1' },
        { product: 'Docker Engine', family: 'docker-engine', version: '26.1.4' },
        { product: 'containerd', family: 'containerd', version: 'v1.7.27' },
        { product: 'containerd', family: 'containerd', version: '2.3.1' },
      ],
      { now, data },
    );
    assert.deepEqual(
      support.map((s) => [s.version, s.status.status, s.status.release, s.status.eolDate ?? null, s.distributionBuild]),
      [
        ['20.10.24+dfsg1', 'eol', '20.10', '2023-12-10', true],
        ['27.5.1', 'eol', '27', '2025-05-03', false],
        ['26.1.4', 'eol', '26.1', '2025-02-17', false],
        ['v1.7.27', 'eol', '1.7', '2026-09-01', false],
        ['2.3.1', 'supported', '2.3', '2028-04-30', false],
      ],
    );
    assert.equal(
      describeSupport(support[4]!),
      'containerd 2.3.1: 2.3 is supported until 2028-04-30 [containerd.csv (https://containerd.io/releases/, taken 2026-11-28)]',
    );
  });

  it('reads the Engine and containerd versions from the version answer', () => {
    assert.deepEqual(
      runtimeComponents({ Version: '27.5.1', Components: [{ Name: 'Engine', Version: '27.5.1' }, { Name: 'containerd', Version: '1.7.25' }, { Name: 'runc', Version: '1.2.4' }] }),
      [
        { product: 'Docker Engine', family: 'docker-engine', version: '27.5.1' },
        { product: 'containerd', family: 'containerd', version: '1.7.25' },
      ],
    );
    assert.deepEqual(runtimeComponents({}), []);
  });

  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it('an updated docker-engine.csv in $BULWARK_EOL_DATA replaces the shipped one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-eol-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'docker-engine.csv'), '# source: https://example.test/\n# taken: 2026-12-01\nversion,release,eol,extended\n29,2025-11-10,2026-12-01,\n');
    const updated = loadEolData(dir);
    const [s] = runtimeSupport([{ product: 'Docker Engine', family: 'docker-engine', version: '29.0.0' }], { now: new Date('2026-12-02'), data: updated });
    assert.equal(s!.status.status, 'eol');
    assert.ok(updated.get('containerd'), 'other tables stay');
  });
});

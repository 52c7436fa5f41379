/** The benchmark's record generator (test/support/osv-generate.ts) must give valid, varied, repeatable OSV data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOsvRecord } from '../../src/modules/advisory/osv/parse.js';
import { baseEcosystem, packageNameKey } from '../../src/vulndb/names.js';
import { generateOsvRecords, lookupSample } from '../support/osv-generate.js';

describe('generated OSV records', () => {
  it('are valid OSV, unique by id, spread over the ecosystems, and the same for the same seed', () => {
    const records = [...generateOsvRecords(3000, 7)];
    assert.deepEqual([...generateOsvRecords(3000, 7)], records);
    assert.notDeepEqual([...generateOsvRecords(50, 8)], records.slice(0, 50));
    const parsed = records.map((r) => parseOsvRecord(r, r.id));
    assert.equal(new Set(parsed.map((r) => r.id)).size, records.length);
    const bases = new Set(parsed.flatMap((r) => r.affected.map((a) => baseEcosystem(a.package.ecosystem))));
    assert.ok(bases.size >= 12, `${bases.size} ecosystems`);
    const withdrawn = parsed.filter((r) => r.withdrawn).length;
    assert.ok(withdrawn > 0 && withdrawn < 60, `${withdrawn} withdrawn`);
    assert.ok(parsed.some((r) => r.affected.length > 1));
    assert.ok(parsed.some((r) => r.affected.some((a) => a.ranges[0]?.events.some((e) => 'last_affected' in e))));
  });

  it('samples lookups: half from the advisories\' package pool (mostly hits), half absent (never hits)', () => {
    const records = [...generateOsvRecords(20_000, 1)];
    const present = new Set(records.flatMap((r) => (r.affected as { package: { ecosystem: string; name: string } }[]).map((a) => `${a.package.ecosystem}\0${packageNameKey(a.package.ecosystem, a.package.name)}`)));
    const hit = (p: { ecosystem: string; name: string }) => present.has(`${p.ecosystem}\0${packageNameKey(p.ecosystem, p.name)}`);
    const sample = lookupSample(2000);
    const fromPool = sample.filter((_, i) => i % 2 === 0);
    assert.equal(sample.filter((_, i) => i % 2 === 1).filter(hit).length, 0);
    const hits = fromPool.filter(hit).length;
    assert.ok(hits > 400, `${hits} of ${fromPool.length} pool packages have advisories among 20k records`);
  });
});

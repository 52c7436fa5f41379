import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eolStatus, loadEolData } from '../../src/modules/eol/index.js';
import { addDays, naiveDistroInfo } from './support.js';

const data = loadEolData(undefined);

describe('eolStatus against the shipped distro-info-data files', () => {
  for (const [family, file] of [
    ['debian', 'debian.csv'],
    ['ubuntu', 'ubuntu.csv'],
  ] as const) {
    const rows = naiveDistroInfo(file);

    it(`${file}: every row is loaded`, () => {
      assert.equal(data.get(family)!.releases.length, rows.length);
    });

    it(`${file}: each release's dates and boundary days match the file's cells`, () => {
      let checked = 0;
      for (const row of rows) {
        const eol = family === 'ubuntu' ? row['eol-server'] || row.eol : row.eol;
        const extended = family === 'ubuntu' ? row['eol-esm'] : row['eol-lts'];
        const version = row.version!.split(' ')[0]!;
        for (const os of [version ? { family, version } : undefined, { family, codename: row.series! }]) {
          if (!os) continue;
          if (!eol) {
            const s = eolStatus(os, new Date('2100-01-01T00:00:00Z'), { data });
            assert.equal(s.status, 'supported', `${row.series}: no end date means supported`);
            assert.equal(s.eolDate, undefined);
            continue;
          }
          const onDay = eolStatus(os, addDays(eol, 0), { data });
          assert.equal(onDay.eolDate, eol, `${row.series} eol`);
          assert.equal(onDay.extendedUntil, extended || undefined, `${row.series} extended`);
          assert.equal(onDay.status, 'eol', `${row.series} on its end-of-life day`);
          const dayBefore = addDays(eol, -1, '23:59:59');
          assert.equal(eolStatus(os, dayBefore, { data, nearDays: 1 }).status, 'near-eol', `${row.series} the day before`);
          assert.equal(eolStatus(os, dayBefore, { data, nearDays: 0 }).status, 'supported', `${row.series} without a window`);
          checked++;
        }
      }
      assert.ok(checked >= 30, `checked ${checked}`);
    });
  }

  it('spot checks read from debian.csv: buster ends 2022-09-10, LTS until 2024-06-30', () => {
    const s = eolStatus({ family: 'debian', version: '10' }, new Date('2023-01-01T00:00:00Z'), { data });
    assert.deepEqual(s, {
      status: 'eol',
      release: '10 (Buster)',
      eolDate: '2022-09-10',
      extendedUntil: '2024-06-30',
      source: s.source,
    });
    assert.match(s.source, /^debian\.csv \(distro-info-data 0\.58\+deb12u7\)$/);
  });

  it('Debian point releases and testing codenames find their release', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    assert.equal(eolStatus({ family: 'debian', version: '10.13' }, now, { data }).release, '10 (Buster)');
    assert.equal(eolStatus({ family: 'debian', version: '6.0.10' }, now, { data }).release, '6.0 (Squeeze)');
    assert.equal(eolStatus({ family: 'Debian', codename: 'trixie/sid' }, now, { data }).release, '13 (Trixie)');
    const sid = eolStatus({ family: 'debian', codename: 'sid' }, now, { data });
    assert.equal(sid.status, 'supported');
    assert.equal(sid.eolDate, undefined);
  });

  it('Ubuntu LTS uses standard server support and reports ESM; interim releases only eol', () => {
    const now = new Date('2014-01-01T00:00:00Z');
    // 10.04's desktop support ended 2013-05-09, its server support 2015-04-30 (both in ubuntu.csv).
    const lucid = eolStatus({ family: 'ubuntu', version: '10.04' }, now, { data });
    assert.equal(lucid.eolDate, '2015-04-30');
    assert.equal(lucid.status, 'supported');
    const jammy = eolStatus({ family: 'ubuntu', version: '22.04', codename: 'jammy' }, now, { data });
    assert.equal(jammy.release, '22.04 LTS (Jammy Jellyfish)');
    assert.equal(jammy.eolDate, '2027-06-01');
    assert.equal(jammy.extendedUntil, '2032-04-21');
    const mantic = eolStatus({ family: 'ubuntu', version: '23.10' }, now, { data });
    assert.equal(mantic.eolDate, '2024-07-11');
    assert.equal(mantic.extendedUntil, undefined);
  });
});

describe('eolStatus on the shipped Bulwark tables', () => {
  it('Alpine point releases map to their branch, 3.2 and 3.20 kept apart', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    assert.equal(eolStatus({ family: 'alpine', version: '3.18.4' }, now, { data }).eolDate, '2025-05-09');
    assert.equal(eolStatus({ family: 'alpine', version: '3.20.1' }, now, { data }).eolDate, '2026-04-01');
    assert.equal(eolStatus({ family: 'alpine', version: '3.2.3' }, now, { data }).eolDate, '2017-05-01');
    const s = eolStatus({ family: 'alpine', version: '3.22.0' }, now, { data });
    assert.equal(s.status, 'supported');
    assert.match(s.source, /^alpine\.csv \(https:\/\/alpinelinux\.org\/releases\/, taken \d{4}-\d{2}-\d{2}\)$/);
  });

  it('near-EOL window: inside, outside, the day itself and after', () => {
    // alpine.csv: 3.19 ends 2025-11-01.
    const os = { family: 'alpine', version: '3.19.1' };
    assert.equal(eolStatus(os, new Date('2025-09-01T12:00:00Z'), { data }).status, 'near-eol'); // 61 days, default 90
    assert.equal(eolStatus(os, new Date('2025-09-01T12:00:00Z'), { data, nearDays: 30 }).status, 'supported');
    assert.equal(eolStatus(os, new Date('2025-07-01T12:00:00Z'), { data }).status, 'supported');
    assert.equal(eolStatus(os, new Date('2025-10-31T23:59:59Z'), { data }).status, 'near-eol');
    assert.equal(eolStatus(os, new Date('2025-11-01T00:00:00Z'), { data }).status, 'eol');
    assert.equal(eolStatus(os, new Date('2027-01-01T00:00:00Z'), { data }).status, 'eol');
  });

  it('RHEL-like majors and Amazon Linux', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const rhel = eolStatus({ family: 'rhel', version: '8.9' }, now, { data });
    assert.deepEqual([rhel.release, rhel.eolDate, rhel.extendedUntil], ['8', '2029-05-31', '2032-05-31']);
    assert.equal(eolStatus({ family: 'rocky', version: '9.3' }, now, { data }).eolDate, '2032-05-31');
    assert.equal(eolStatus({ family: 'almalinux', version: '8.10' }, now, { data }).eolDate, '2029-03-01');
    assert.equal(eolStatus({ family: 'amzn', version: '2' }, now, { data }).status, 'eol');
    assert.equal(eolStatus({ family: 'amzn', version: '2023' }, now, { data }).eolDate, '2029-06-30');
  });

  it('unknown releases and families are unknown, not supported', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    for (const os of [
      { family: 'debian', version: '99' },
      { family: 'debian', codename: 'nosuchname' },
      { family: 'ubuntu', version: '5.05' },
      { family: 'alpine', version: '4.0.1' },
      { family: 'alpine', version: 'edge' },
      { family: 'debian' },
    ]) {
      const s = eolStatus(os, now, { data });
      assert.equal(s.status, 'unknown', JSON.stringify(os));
      assert.equal(s.eolDate, undefined);
    }
    const fedora = eolStatus({ family: 'fedora', version: '40' }, now, { data });
    assert.equal(fedora.status, 'unknown');
    assert.match(fedora.source, /no end-of-life table for "fedora"/);
  });

  it('without options it loads the shipped data itself', () => {
    const s = eolStatus({ family: 'debian', version: '10' }, new Date('2030-01-01T00:00:00Z'));
    assert.equal(s.status, 'eol');
    assert.equal(s.eolDate, '2022-09-10');
  });
});

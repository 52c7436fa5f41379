import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ratingFor, resolveSeverity, scoreCvss } from '../../src/core/severity.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../../src/vulndb/types.js';

// Scores as FIRST's calculators give them. v2: the CVSS v2 guide's worked examples (CVE-2002-0392,
// CVE-2003-0818, CVE-2003-0062). v3.0/v3.1: the FIRST examples documents (CVE-2013-1937 phpMyAdmin,
// CVE-2014-0160 Heartbleed, CVE-2014-6271 Shellshock, CVE-2013-0375 MySQL, CVE-2014-3566 POODLE,
// CVE-2012-1516 VMware). v4.0: FIRST's v4 calculator (9.3 is the spec's all-High example; the others are
// reference vectors from the Red Hat cvss library's test data, computed with FIRST's calculator).
const KNOWN: [string, '2.0' | '3.0' | '3.1' | '4.0', number, string][] = [
  ['AV:N/AC:L/Au:N/C:N/I:N/A:C', '2.0', 7.8, 'HIGH'],
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C', '2.0', 10, 'HIGH'],
  ['AV:L/AC:H/Au:N/C:C/I:C/A:C', '2.0', 6.2, 'MEDIUM'],
  ['AV:L/AC:L/Au:N/C:P/I:N/A:N', '2.0', 2.1, 'LOW'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', '3.0', 6.1, 'MEDIUM'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', '3.0', 7.5, 'HIGH'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.0', 9.8, 'CRITICAL'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', '3.1', 6.4, 'MEDIUM'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', '3.1', 3.1, 'LOW'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', '3.1', 9.9, 'CRITICAL'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3, 'CRITICAL'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L', '4.0', 7.8, 'HIGH'],
  ['CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N', '4.0', 4, 'MEDIUM'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N', '4.0', 2.1, 'LOW'],
];

describe('scoreCvss', () => {
  for (const [vector, version, score, severity] of KNOWN) {
    it(`scores ${vector} as ${score} ${severity}`, () => {
      const result = scoreCvss(vector, 'TEST-1');
      assert.deepEqual(result, { version, vector, score, severity, source: 'TEST-1' });
    });
  }

  it('gives v2 and v3 the base score even when temporal metrics are present', () => {
    assert.equal(scoreCvss('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C', 'x')?.score, 7.8);
    assert.equal(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U', 'x')?.score, 9.8);
  });

  it('gives v4 the score of the vector as written (threat metrics count: CVSS-BT)', () => {
    const base = 'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H';
    assert.equal(scoreCvss(base, 'x')?.score, 7.3);
    assert.equal(scoreCvss(`${base}/E:U`, 'x')?.score, 4.1);
    assert.equal(scoreCvss(`${base}/E:P`, 'x')?.score, 5.9);
  });

  it('accepts the NVD parenthesised v2 form and a CVSS:2.0 prefix', () => {
    assert.equal(scoreCvss('(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 'x')?.score, 7.5);
    assert.equal(scoreCvss('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', 'x')?.version, '2.0');
  });

  it('rates a 0.0 score (FIRST "None") as LOW', () => {
    const v3 = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 'x');
    assert.equal(v3?.score, 0);
    assert.equal(v3?.severity, 'LOW');
    assert.equal(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 'x')?.severity, 'LOW');
  });

  const INVALID = [
    ['empty', ''],
    ['not a vector', 'garbage'],
    ['incomplete base', 'CVSS:3.1/AV:N/AC:L'],
    ['unknown value', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['unknown metric', 'CVSS:3.1/FOO:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['unknown version', 'CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['prefix only', 'CVSS:3.1'],
    ['repeated metric', 'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['base metric not defined', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['v3 metrics under a v4 prefix', 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['trailing slash', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/'],
  ];
  for (const [what, vector] of INVALID) {
    it(`returns undefined, without throwing, for ${what}`, () => {
      assert.equal(scoreCvss(vector!, 'x'), undefined);
    });
  }
});

describe('ratingFor', () => {
  it('follows FIRST boundaries for v3/v4', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => ratingFor(s, '3.1')), [
      'LOW', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL',
    ]);
  });
  it('has no CRITICAL for v2', () => {
    assert.deepEqual([0, 3.9, 4, 6.9, 7, 10].map((s) => ratingFor(s, '2.0')), ['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH']);
  });
});

const V2_HIGH = 'AV:N/AC:L/Au:N/C:P/I:P/A:P'; // 7.5 HIGH
const V30_CRIT = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 CRITICAL
const V31_LOW = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'; // 3.1 LOW
const V31_MED = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'; // 6.4 MEDIUM
const V40_HIGH = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L'; // 7.8 HIGH

function record(opts: { severity?: OsvSeverity[]; databaseSpecific?: Record<string, unknown> } = {}): OsvRecord {
  return {
    id: 'OSV-1',
    modified: '2024-01-01T00:00:00Z',
    aliases: [],
    related: [],
    severity: opts.severity ?? [],
    affected: [],
    references: [],
    ...(opts.databaseSpecific ? { databaseSpecific: opts.databaseSpecific } : {}),
  };
}

function affected(opts: { severity?: OsvSeverity[]; ecosystemSpecific?: Record<string, unknown>; databaseSpecific?: Record<string, unknown> } = {}): OsvAffected {
  return {
    package: { ecosystem: 'Debian:12', name: 'openssl' },
    severity: opts.severity ?? [],
    ranges: [],
    versions: [],
    ...(opts.ecosystemSpecific ? { ecosystemSpecific: opts.ecosystemSpecific } : {}),
    ...(opts.databaseSpecific ? { databaseSpecific: opts.databaseSpecific } : {}),
  };
}

const cvss = (score: string, type = score.startsWith('CVSS:4') ? 'CVSS_V4' : score.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2'): OsvSeverity => ({ type, score });

describe('resolveSeverity precedence', () => {
  it('1) OS package: Ubuntu priority wins over CVSS', () => {
    const r = resolveSeverity({ record: record({ severity: [cvss(V30_CRIT), { type: 'Ubuntu', score: 'medium' }] }), affected: affected(), osPackage: true });
    assert.equal(r.severity, 'MEDIUM');
    assert.equal(r.source, 'ubuntu');
    assert.equal(r.cvss.length, 1, 'the CVSS vector is still listed for reports');
  });

  it('maps Ubuntu negligible to LOW and lets untriaged fall through to CVSS', () => {
    assert.equal(resolveSeverity({ record: record({ severity: [{ type: 'Ubuntu', score: 'negligible' }] }), affected: affected(), osPackage: true }).severity, 'LOW');
    const r = resolveSeverity({ record: record({ severity: [{ type: 'Ubuntu', score: 'untriaged' }, cvss(V31_MED)] }), affected: affected(), osPackage: true });
    assert.deepEqual([r.severity, r.source], ['MEDIUM', 'cvss:3.1']);
  });

  it('1) OS package: Debian urgency from ecosystem_specific or database_specific, stars stripped', () => {
    const a = resolveSeverity({ record: record({ severity: [cvss(V30_CRIT)] }), affected: affected({ ecosystemSpecific: { urgency: 'low' } }), osPackage: true });
    assert.deepEqual([a.severity, a.source], ['LOW', 'debian-urgency']);
    const b = resolveSeverity({ record: record(), affected: affected({ databaseSpecific: { urgency: 'high**' } }), osPackage: true });
    assert.deepEqual([b.severity, b.source], ['HIGH', 'debian-urgency']);
    const c = resolveSeverity({ record: record(), affected: affected({ ecosystemSpecific: { urgency: 'unimportant' } }), osPackage: true });
    assert.deepEqual([c.severity, c.source], ['LOW', 'debian-urgency']);
  });

  for (const word of ['not yet assigned', 'end-of-life']) {
    it(`Debian urgency "${word}" falls through to CVSS`, () => {
      const r = resolveSeverity({ record: record({ severity: [cvss(V31_MED)] }), affected: affected({ ecosystemSpecific: { urgency: word } }), osPackage: true });
      assert.deepEqual([r.severity, r.source], ['MEDIUM', 'cvss:3.1']);
    });
  }

  it('1) OS package: Red Hat/SUSE impact words', () => {
    const expect = { Low: 'LOW', Moderate: 'MEDIUM', Important: 'HIGH', Critical: 'CRITICAL' };
    for (const [word, severity] of Object.entries(expect)) {
      const r = resolveSeverity({ record: record({ severity: [cvss(V31_LOW)], databaseSpecific: { severity: word } }), affected: affected(), osPackage: true });
      assert.deepEqual([r.severity, r.source], [severity, 'distro-severity'], word);
    }
  });

  it('a language package ignores distro ratings: CVSS comes first', () => {
    const r = resolveSeverity({
      record: record({ severity: [{ type: 'Ubuntu', score: 'low' }, cvss(V30_CRIT)] }),
      affected: affected({ ecosystemSpecific: { urgency: 'low' } }),
      osPackage: false,
    });
    assert.deepEqual([r.severity, r.source], ['CRITICAL', 'cvss:3.0']);
  });

  it('2) the newest CVSS version wins, whatever its score', () => {
    const r = resolveSeverity({ record: record({ severity: [cvss(V2_HIGH), cvss(V30_CRIT), cvss(V31_LOW)] }), affected: affected(), osPackage: false });
    assert.deepEqual([r.severity, r.source], ['LOW', 'cvss:3.1']);
    assert.deepEqual(r.cvss.map((c) => c.version), ['3.1', '3.0', '2.0']);
    const v4 = resolveSeverity({ record: record({ severity: [cvss(V31_LOW), cvss(V40_HIGH)] }), affected: affected(), osPackage: false });
    assert.deepEqual([v4.severity, v4.source], ['HIGH', 'cvss:4.0']);
  });

  it('2) within one version, affected[].severity comes before record.severity', () => {
    const r = resolveSeverity({ record: record({ severity: [cvss(V31_MED)] }), affected: affected({ severity: [cvss(V31_LOW)] }), osPackage: false });
    assert.deepEqual([r.severity, r.source], ['LOW', 'cvss:3.1']);
    assert.equal(r.cvss.length, 2);
    assert.ok(r.cvss.every((c) => c.source === 'OSV-1'));
  });

  it('an invalid newer vector falls back to the next one that scores, and is reported as rejected', () => {
    const bad = 'CVSS:4.0/AV:N/AC:L';
    const r = resolveSeverity({ record: record({ severity: [cvss(bad), cvss(V31_MED)] }), affected: affected(), osPackage: false });
    assert.deepEqual([r.severity, r.source], ['MEDIUM', 'cvss:3.1']);
    assert.deepEqual(r.rejected, [{ vector: bad, source: 'OSV-1' }]);
  });

  it('3) database_specific.severity (GHSA words) when no CVSS scores', () => {
    for (const [word, severity] of [['CRITICAL', 'CRITICAL'], ['HIGH', 'HIGH'], ['MODERATE', 'MEDIUM'], ['LOW', 'LOW']]) {
      const r = resolveSeverity({ record: record({ databaseSpecific: { severity: word } }), affected: affected(), osPackage: false });
      assert.deepEqual([r.severity, r.source], [severity, 'database_specific'], word);
    }
  });

  it('3) CVSS outranks database_specific', () => {
    const r = resolveSeverity({ record: record({ severity: [cvss(V31_LOW)], databaseSpecific: { severity: 'CRITICAL' } }), affected: affected(), osPackage: false });
    assert.deepEqual([r.severity, r.source], ['LOW', 'cvss:3.1']);
  });

  it('4) UNKNOWN when nothing rates it', () => {
    const r = resolveSeverity({ record: record({ databaseSpecific: { severity: 'whatever' } }), affected: affected(), osPackage: true });
    assert.deepEqual(r, { severity: 'UNKNOWN', source: 'none', cvss: [], rejected: [] });
  });

  it('ignores severity entries of types it does not know', () => {
    const r = resolveSeverity({ record: record({ severity: [{ type: 'SOMETHING', score: 'high' }] }), affected: affected(), osPackage: false });
    assert.deepEqual([r.severity, r.rejected.length], ['UNKNOWN', 0]);
  });
});

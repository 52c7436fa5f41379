import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, FixStatus } from '../../src/core/finding.js';
import { applyPolicy, exitCodeFor } from '../../src/policy/filter.js';
import { parseIgnoreFile } from '../../src/policy/ignorefile.js';
import { parseVex } from '../../src/policy/vex.js';
import { ruleFinding, vulnFinding } from './findings.js';

const ids = (findings: Finding[]) => findings.map((f) => f.id);

const STATUSES: FixStatus[] = ['fixed', 'affected', 'will_not_fix', 'fix_deferred', 'end_of_life', 'possibly_affected'];
const byStatus = STATUSES.map((status, i) => vulnFinding({ id: `CVE-2024-000${i}`, status }));

describe('applyPolicy: filters', () => {
  const mixed = [
    vulnFinding({ id: 'CVE-C', severity: 'CRITICAL' }),
    vulnFinding({ id: 'CVE-H', severity: 'HIGH' }),
    vulnFinding({ id: 'CVE-M', severity: 'MEDIUM' }),
    vulnFinding({ id: 'CVE-L', severity: 'LOW' }),
    vulnFinding({ id: 'CVE-U', severity: 'UNKNOWN' }),
    ruleFinding('DKL-DI-0001', 'HIGH'),
  ];

  it('keeps everything, in order, with an empty policy', () => {
    const outcome = applyPolicy(mixed, {});
    assert.deepEqual(ids(outcome.findings), ids(mixed));
    assert.deepEqual([outcome.filtered, outcome.suppressed, outcome.warnings], [0, 0, []]);
  });

  it('--severity keeps only the listed severities, for every kind of finding', () => {
    const outcome = applyPolicy(mixed, { severities: ['CRITICAL', 'HIGH'] });
    assert.deepEqual(ids(outcome.findings), ['CVE-C', 'CVE-H', 'DKL-DI-0001']);
    assert.equal(outcome.filtered, 3);
    assert.deepEqual(ids(applyPolicy(mixed, { severities: ['UNKNOWN'] }).findings), ['CVE-U']);
  });

  it('--ignore-unfixed drops findings without a fixed version but keeps possibly_affected (fail closed)', () => {
    const outcome = applyPolicy(byStatus, { ignoreUnfixed: true });
    assert.deepEqual(outcome.findings.map((f) => f.vulnerability?.status), ['fixed', 'possibly_affected']);
    assert.equal(outcome.filtered, 4);
  });

  it('--ignore-unfixed leaves findings that are not vulnerabilities alone', () => {
    assert.deepEqual(ids(applyPolicy([ruleFinding('DKL-1')], { ignoreUnfixed: true }).findings), ['DKL-1']);
  });

  it('--ignore-status drops exactly the listed states', () => {
    const outcome = applyPolicy(byStatus, { ignoreStatuses: ['will_not_fix', 'end_of_life'] });
    assert.deepEqual(outcome.findings.map((f) => f.vulnerability?.status), ['fixed', 'affected', 'fix_deferred', 'possibly_affected']);
    assert.equal(outcome.filtered, 2);
    // possibly_affected can be dropped, but only when asked for by name.
    assert.equal(applyPolicy(byStatus, { ignoreStatuses: ['possibly_affected'] }).findings.length, 5);
  });

  it('combines filters, counting each dropped finding once', () => {
    const findings = [
      vulnFinding({ id: 'A', severity: 'LOW', status: 'affected' }),
      vulnFinding({ id: 'B', severity: 'HIGH', status: 'affected' }),
      vulnFinding({ id: 'C', severity: 'HIGH', status: 'fixed' }),
    ];
    const outcome = applyPolicy(findings, { severities: ['HIGH'], ignoreUnfixed: true });
    assert.deepEqual(ids(outcome.findings), ['C']);
    assert.equal(outcome.filtered, 2);
  });
});

describe('applyPolicy: suppression', () => {
  const now = new Date('2024-06-15T12:00:00Z');
  const rules = parseIgnoreFile(
    [
      'ignores:',
      '  - id: CVE-2024-0001',
      '    reason: accepted until the base image moves',
      '  - id: CVE-2024-0002',
      '    expires: 2024-06-01',
      '  - id: GHSA-only-alias',
      '    purls: ["pkg:npm/**"]',
    ].join('\n'),
    '.bulwarkignore.yaml',
  );
  const findings = [
    vulnFinding({ id: 'CVE-2024-0001' }),
    vulnFinding({ id: 'CVE-2024-0002' }),
    vulnFinding({ id: 'CVE-2024-0003', aliases: ['GHSA-only-alias'], purl: 'pkg:npm/lodash@4.17.20', path: '/app/package-lock.json' }),
    vulnFinding({ id: 'CVE-2024-0004' }),
  ];

  it('hides suppressed findings and counts them; an expired entry stops suppressing and warns', () => {
    const outcome = applyPolicy(findings, { ignoreFiles: [rules], now });
    assert.deepEqual(ids(outcome.findings), ['CVE-2024-0002', 'CVE-2024-0004']);
    assert.equal(outcome.suppressed, 2);
    assert.equal(outcome.filtered, 0);
    assert.deepEqual(outcome.warnings, ['.bulwarkignore.yaml:4: ignore entry for CVE-2024-0002 expired on 2024-06-01; it no longer suppresses']);
  });

  it('before the expiry date the entry still suppresses, without a warning', () => {
    const outcome = applyPolicy(findings, { ignoreFiles: [rules], now: new Date('2024-06-01T23:00:00Z') });
    assert.deepEqual(ids(outcome.findings), ['CVE-2024-0004']);
    assert.deepEqual(outcome.warnings, []);
  });

  it('--show-suppressed keeps them, marked with where the suppression came from', () => {
    const outcome = applyPolicy(findings, { ignoreFiles: [rules], now, showSuppressed: true });
    assert.deepEqual(ids(outcome.findings), ids(findings));
    assert.deepEqual(outcome.findings.map((f) => f.suppressed), [
      { kind: 'ignorefile', source: '.bulwarkignore.yaml', reason: 'accepted until the base image moves' },
      undefined,
      { kind: 'ignorefile', source: '.bulwarkignore.yaml' },
      undefined,
    ]);
    assert.equal(outcome.suppressed, 2);
  });

  it('does not change the findings it was given', () => {
    const before = JSON.stringify(findings);
    applyPolicy(findings, { ignoreFiles: [rules], now, showSuppressed: true });
    assert.equal(JSON.stringify(findings), before);
  });

  it('filters first: a finding dropped by --severity is counted as filtered, not suppressed', () => {
    const outcome = applyPolicy([vulnFinding({ id: 'CVE-2024-0001', severity: 'LOW' })], { severities: ['HIGH'], ignoreFiles: [rules], now });
    assert.deepEqual([outcome.filtered, outcome.suppressed, outcome.findings.length], [1, 0, 0]);
  });

  it('takes the ignore file first, then VEX, and passes VEX warnings on', () => {
    const vex = parseVex(
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        timestamp: '2024-01-01T00:00:00Z',
        statements: [
          { vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': 'pkg:deb/debian/openssl' }], status: 'fixed' },
          { vulnerability: { name: 'CVE-2024-0004' }, products: [{ '@id': 'pkg:deb/debian/openssl' }], status: 'not_affected', impact_statement: 'TLS 1.0 disabled at build' },
          { vulnerability: { name: 'CVE-2024-9999' }, status: 'fixed' },
        ],
      }),
      'openssl.vex.json',
    );
    const outcome = applyPolicy(findings, { ignoreFiles: [rules], vex: [vex], now, showSuppressed: true });
    assert.deepEqual(outcome.findings.map((f) => f.suppressed?.kind), ['ignorefile', undefined, 'ignorefile', 'vex']);
    assert.deepEqual(outcome.findings[3]?.suppressed, { kind: 'vex', source: 'openssl.vex.json', status: 'not_affected', reason: 'TLS 1.0 disabled at build' });
    assert.deepEqual(outcome.warnings, [
      '.bulwarkignore.yaml:4: ignore entry for CVE-2024-0002 expired on 2024-06-01; it no longer suppresses',
      'openssl.vex.json: statements[2] names no products; it applies to nothing',
    ]);
  });
});

describe('exitCodeFor', () => {
  const rules = parseIgnoreFile('- id: CVE-2024-0001\n', 'f.yaml');

  it('returns the exit code while an unsuppressed finding remains', () => {
    assert.equal(exitCodeFor(applyPolicy([vulnFinding()], {}), 1), 1);
    assert.equal(exitCodeFor(applyPolicy([vulnFinding()], {}), 0), 0);
  });

  it('returns 0 when nothing remains after filtering', () => {
    assert.equal(exitCodeFor(applyPolicy([vulnFinding({ severity: 'LOW' })], { severities: ['CRITICAL'] }), 3), 0);
    assert.equal(exitCodeFor(applyPolicy([], {}), 3), 0);
  });

  it('returns 0 when every remaining finding is suppressed, shown or not', () => {
    const one = [vulnFinding({ id: 'CVE-2024-0001' })];
    assert.equal(exitCodeFor(applyPolicy(one, { ignoreFiles: [rules] }), 5), 0);
    assert.equal(exitCodeFor(applyPolicy(one, { ignoreFiles: [rules], showSuppressed: true }), 5), 0);
    assert.equal(exitCodeFor(applyPolicy([...one, vulnFinding({ id: 'CVE-2024-0002' })], { ignoreFiles: [rules], showSuppressed: true }), 5), 5);
  });

  it('fails the gate on a possibly_affected finding under --ignore-unfixed', () => {
    assert.equal(exitCodeFor(applyPolicy([vulnFinding({ status: 'possibly_affected' })], { ignoreUnfixed: true }), 1), 1);
  });
});

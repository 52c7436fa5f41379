import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { entryMatches, expiryWarnings, findIgnoreEntry, isExpired, loadIgnoreFile, parseIgnoreFile } from '../../src/policy/ignorefile.js';
import { tempFiles, vulnFinding } from './findings.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function formatError(text: string): string {
  try {
    parseIgnoreFile(text, 'ignore.yaml');
  } catch (e) {
    assert.ok(e instanceof BulwarkError, `expected a BulwarkError, got ${String(e)}`);
    assert.equal(e.code, 'E_FORMAT');
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return e.message;
  }
  assert.fail('expected the ignore file to be rejected');
}

describe('loadIgnoreFile: format', () => {
  it('reads the documented form with every field and records each entry line', () => {
    const dir = tempFiles({
      'ignore.yaml': [
        '# accepted risks',
        'ignores:',
        '  - id: CVE-2024-0001',
        '    purls: ["pkg:deb/debian/openssl@*"]',
        '    paths: [var/lib/dpkg/status]',
        '    reason: not reachable',
        '    expires: 2030-01-31',
        '  - id: GHSA-aaaa-bbbb-cccc',
        '',
      ].join('\n'),
    });
    dirs.push(dir);
    const rules = loadIgnoreFile(join(dir, 'ignore.yaml'));
    assert.equal(rules.file, join(dir, 'ignore.yaml'));
    assert.deepEqual(rules.entries, [
      { id: 'CVE-2024-0001', purls: ['pkg:deb/debian/openssl@*'], paths: ['var/lib/dpkg/status'], reason: 'not reachable', expires: '2030-01-31', line: 3 },
      { id: 'GHSA-aaaa-bbbb-cccc', line: 8 },
    ]);
  });

  it('accepts a bare top-level list', () => {
    const rules = parseIgnoreFile('- id: CVE-1\n- id: CVE-2\n  reason: x\n', 'f.yaml');
    assert.deepEqual(rules.entries.map((e) => [e.id, e.line]), [['CVE-1', 1], ['CVE-2', 2]]);
  });

  it('treats an empty file or an empty ignores key as no entries', () => {
    assert.deepEqual(parseIgnoreFile('', 'f').entries, []);
    assert.deepEqual(parseIgnoreFile('# nothing yet\n', 'f').entries, []);
    assert.deepEqual(parseIgnoreFile('ignores:\n', 'f').entries, []);
  });

  it('names the file and line of broken YAML', () => {
    assert.equal(formatError('ignores:\n  - id: CVE-1\n  - id: CVE-2\n    reason: "a" b\n  - id: CVE-3\n'), 'ignore.yaml:4: invalid YAML: Unexpected scalar at node end');
    assert.match(formatError('ignores:\n  - id: CVE-1\n\t- id: CVE-2\n'), /^ignore\.yaml:3: invalid YAML: Tabs/);
  });

  it('rejects duplicate keys with their line', () => {
    assert.match(formatError('ignores:\n  - id: CVE-1\n    id: CVE-2\n'), /^ignore\.yaml:3: invalid YAML: .*unique/);
  });

  it('rejects a misspelt key at its entry line', () => {
    const message = formatError('ignores:\n  - id: CVE-1\n  - id: CVE-2\n    expire: 2024-01-01\n');
    assert.match(message, /^ignore\.yaml:3: ignores\[1\]: Unrecognized key\(s\) in object: 'expire'/);
  });

  it('rejects a date that is not YYYY-MM-DD or not a calendar day, at the line of the value', () => {
    assert.match(formatError('ignores:\n  - id: CVE-1\n    expires: 2024-02-30\n'), /^ignore\.yaml:3: ignores\[0\]\.expires: expected a date as YYYY-MM-DD/);
    assert.match(formatError('ignores:\n  - id: CVE-1\n    expires: next week\n'), /^ignore\.yaml:3: ignores\[0\]\.expires: expected a date/);
  });

  it('rejects a missing id at the entry, and a non-string id at its value', () => {
    assert.match(formatError('ignores:\n  - id: CVE-1\n  - reason: forgot the id\n'), /^ignore\.yaml:3: ignores\[1\]\.id: Required/);
    assert.match(formatError('- id: CVE-1\n- id: 12\n'), /^ignore\.yaml:2: \[1\]\.id: Expected string, received number/);
  });

  it('rejects globs given as a string rather than a list', () => {
    assert.match(formatError('ignores:\n  - id: CVE-1\n    purls: pkg:npm/x\n'), /^ignore\.yaml:3: ignores\[0\]\.purls: Expected array, received string/);
  });

  it('rejects a document of the wrong shape', () => {
    assert.match(formatError('just a string\n'), /^ignore\.yaml:1: .*expected "ignores:"/);
    assert.match(formatError('ignore:\n  - id: CVE-1\n'), /^ignore\.yaml:1: /);
  });

  it('reports a missing file as E_INPUT naming it', () => {
    assert.throws(() => loadIgnoreFile('/nonexistent/bulwark/ignore.yaml'), (e: unknown) => e instanceof BulwarkError && e.code === 'E_INPUT' && e.message === '/nonexistent/bulwark/ignore.yaml: no such file');
  });
});

describe('ignore entries: matching', () => {
  const finding = vulnFinding({ id: 'CVE-2024-0001', aliases: ['DSA-5500-1', 'GHSA-xxxx-yyyy-zzzz'] });
  const entry = (yaml: string) => parseIgnoreFile(yaml, 'f.yaml').entries[0]!;

  it('matches the finding id or any alias, case-insensitive', () => {
    assert.ok(entryMatches(entry('- id: CVE-2024-0001'), finding));
    assert.ok(entryMatches(entry('- id: cve-2024-0001'), finding));
    assert.ok(entryMatches(entry('- id: ghsa-XXXX-yyyy-zzzz'), finding));
    assert.ok(entryMatches(entry('- id: DSA-5500-1'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0002'), finding));
  });

  it('matches purl globs against the package purl', () => {
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/debian/openssl@*"]'), finding));
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/*/openssl@3.0.*"]'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/debian/openssl@1.*"]'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:npm/**"]'), finding));
    // Any one glob of the list is enough.
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:npm/**", "pkg:deb/debian/openssl@*"]'), finding));
  });

  it('lets a purl without version or qualifiers cover every version of the package', () => {
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/debian/openssl"]'), finding));
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/debian/openssl@3.0.11-1~deb12u2"]'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/debian/openssl-dev"]'), finding));
    const scoped = vulnFinding({ id: 'CVE-2024-0001', purl: 'pkg:npm/%40babel/core@7.0.0', path: '/app/node_modules/@babel/core/package.json' });
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:npm/%40babel/core"]'), scoped));
  });

  it('matches path globs with or without the leading slash', () => {
    const npm = vulnFinding({ id: 'CVE-2024-0001', purl: 'pkg:npm/lodash@4.17.20', path: '/app/node_modules/lodash/package.json' });
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  paths: ["/app/**"]'), npm));
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  paths: ["app/node_modules/**/package.json"]'), npm));
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  paths: ["**/lodash/*"]'), npm));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  paths: ["/srv/**"]'), npm));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  paths: ["/app/*"]'), npm), '* stays within one directory');
  });

  it('needs every glob list to match when an entry has both', () => {
    assert.ok(entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/**"]\n  paths: ["/var/lib/dpkg/*"]'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:deb/**"]\n  paths: ["/usr/**"]'), finding));
    assert.ok(!entryMatches(entry('- id: CVE-2024-0001\n  purls: ["pkg:npm/**"]\n  paths: ["/var/lib/dpkg/*"]'), finding));
  });
});

describe('ignore entries: expiry', () => {
  const rules = parseIgnoreFile('ignores:\n  - id: CVE-2024-0001\n    expires: 2024-06-30\n    reason: vendor fix due\n  - id: CVE-2024-0001\n', 'team.yaml');
  const dated = rules.entries[0]!;
  const finding = vulnFinding({ id: 'CVE-2024-0001' });

  it('suppresses through the whole expiry day (UTC) and stops at the next midnight', () => {
    assert.equal(isExpired(dated, new Date('2024-06-30T23:59:59.999Z')), false);
    assert.equal(isExpired(dated, new Date('2024-07-01T00:00:00.000Z')), true);
    assert.equal(isExpired(rules.entries[1]!, new Date('2999-01-01T00:00:00Z')), false, 'no expires: never expires');
  });

  it('an expired entry is skipped, so a later one can still match', () => {
    assert.equal(findIgnoreEntry(rules, finding, new Date('2024-06-01T00:00:00Z')), dated);
    assert.equal(findIgnoreEntry(rules, finding, new Date('2024-07-02T00:00:00Z')), rules.entries[1]);
    const onlyDated = { ...rules, entries: [dated] };
    assert.equal(findIgnoreEntry(onlyDated, finding, new Date('2024-07-02T00:00:00Z')), undefined);
  });

  it('warns about an expired entry, naming the entry, file, line and date', () => {
    assert.deepEqual(expiryWarnings(rules, new Date('2024-06-15T00:00:00Z')), []);
    assert.deepEqual(expiryWarnings(rules, new Date('2024-07-01T00:00:00Z')), [
      'team.yaml:2: ignore entry for CVE-2024-0001 expired on 2024-06-30; it no longer suppresses',
    ]);
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import {
  DEFAULT_MAX_SECRET_FILE_SIZE, isProbablyBinary, maskSecret, scanSecretsInStrings, scanSecretsInText, secretSkipReason,
  type SecretScanSkip,
} from '../../src/modules/secrets/index.js';
import { assertMasked } from './assert-masked.js';
import { ALNUM, B64, UPPER_DIGITS, fake, keys, pemBody } from './fake.js';

const ghp = `ghp_${fake('scan-ghp', ALNUM, 36)}`;
const akia = `AKIA${fake('scan-akia', UPPER_DIGITS, 16)}`;
const awsSecret = fake('scan-aws', B64, 40);
const dbPass = fake('scan-db', ALNUM, 16);
const urlPass = fake('scan-url', ALNUM, 12);
const layer = { index: 3, diffId: `sha256:${'ab'.repeat(32)}`, createdBy: 'COPY . /app' };
const where = { target: 'registry.example/app:1.0', path: '/app/.env', layer };

/** A file mixing secrets and look-alikes; the line of each secret is the array index + 1. */
const lines = [
  '# app settings',                                   // 1
  `GITHUB_TOKEN=${ghp}`,                              // 2
  'DB_USER=app',                                      // 3
  'DB_PASSWORD=${DB_PASSWORD}',                       // 4 placeholder
  '',                                                 // 5
  `aws_access_key_id=${akia}`,                        // 6
  `aws_secret_access_key=${awsSecret}`,               // 7
  'The password must be rotated every 90 days.',      // 8 prose
  `DB_PASSWORD=${dbPass}`,                            // 9
  `CACHE_URL=redis://default:${urlPass}@cache:6379`,  // 10
  ...keys.rsaPkcs1.trimEnd().split('\n'),             // 11..
];
const text = `${lines.join('\n')}\n`;
const secrets = [ghp, akia, awsSecret, dbPass, urlPass, pemBody(keys.rsaPkcs1)];

describe('scanSecretsInText', () => {
  const findings = scanSecretsInText(text, where);

  it('reports each secret once, on its exact line, sorted by line', () => {
    assert.deepEqual(findings.map((f) => [f.location.line, f.id]), [
      [2, 'BW-SEC-006'], [6, 'BW-SEC-001'], [7, 'BW-SEC-002'], [9, 'BW-SEC-019'], [10, 'BW-SEC-018'], [11, 'BW-SEC-016'],
    ]);
  });

  it('gives the same findings for the bytes as for the string', () => {
    assert.deepEqual(scanSecretsInText(Buffer.from(text), where), findings);
  });

  it('fills in the findings model: kind, stack layer, target, path, layer, rule metadata', () => {
    for (const f of findings) {
      assert.equal(f.kind, 'secret');
      assert.equal(f.stackLayer, 'image');
      assert.equal(f.target, where.target);
      assert.equal(f.location.path, '/app/.env');
      assert.deepEqual(f.location.layer, layer);
      assert.ok(f.title.length > 0 && f.remediation && f.references.length > 0);
      assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
    }
  });

  it('never returns a secret unmasked, in any field', () => {
    for (const s of secrets) assertMasked(findings, s);
    const json = JSON.stringify(findings);
    for (const s of secrets) assert.ok(!json.includes(s));
    for (const [i, s] of [ghp, akia, awsSecret, dbPass, urlPass].entries()) assert.ok(findings[i]!.description!.includes(maskSecret(s)));
  });

  it('fingerprints from the secret hash, never the secret: stable, and different when the secret or line changes', () => {
    const again = scanSecretsInText(text, where);
    assert.deepEqual(again.map((f) => f.fingerprint), findings.map((f) => f.fingerprint));
    const gh = findings[0]!;
    const expected = createHash('sha256')
      .update(['secret', 'BW-SEC-006', where.target, where.path, '2', createHash('sha256').update(ghp).digest('hex')].join('\0'))
      .digest('hex');
    assert.equal(gh.fingerprint, expected);
    const rotated = scanSecretsInText(text.replace(ghp, `ghp_${fake('rotated', ALNUM, 36)}`), where)[0]!;
    assert.notEqual(rotated.fingerprint, gh.fingerprint);
    const moved = scanSecretsInText(`\n${text}`, where)[0]!;
    assert.equal(moved.location.line, 3);
    assert.notEqual(moved.fingerprint, gh.fingerprint);
    const otherTarget = scanSecretsInText(text, { ...where, target: 'other:1' })[0]!;
    assert.notEqual(otherTarget.fingerprint, gh.fingerprint);
  });

  it('maskSecret shows at most 4 characters, fewer for short secrets, and hides the length', () => {
    assert.equal(maskSecret(ghp), 'ghp_********');
    assert.equal(maskSecret('abcdefgh'), 'ab********');
    assert.equal(maskSecret('abc'), '********');
    assert.equal(maskSecret('x'.repeat(100)).length, maskSecret('x'.repeat(20)).length);
  });
});

describe('binary files and the size limit', () => {
  const token = `GITHUB_TOKEN=${ghp}\n`;

  it('isProbablyBinary looks for NUL in the first 8 KiB only', () => {
    assert.equal(isProbablyBinary(Buffer.from('plain text\n')), false);
    assert.equal(isProbablyBinary(Buffer.from('ELF\0\0\0')), true);
    const lateNul = Buffer.concat([Buffer.alloc(8192, 0x61), Buffer.from([0])]);
    assert.equal(isProbablyBinary(lateNul), false);
    assert.equal(isProbablyBinary(Buffer.concat([Buffer.alloc(8191, 0x61), Buffer.from([0])])), true);
  });

  it('skips a binary file and reports the skip', () => {
    const skips: SecretScanSkip[] = [];
    const buf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.from(token)]);
    assert.deepEqual(scanSecretsInText(buf, where, { onSkip: (s) => skips.push(s) }), []);
    assert.deepEqual(skips, [{ target: where.target, path: where.path, layer, reason: 'binary', size: buf.length }]);
  });

  it('scans a file whose first NUL comes after 8 KiB', () => {
    const buf = Buffer.concat([Buffer.from(token), Buffer.alloc(9000, 0x20), Buffer.from([0])]);
    assert.deepEqual(scanSecretsInText(buf, where).map((f) => f.id), ['BW-SEC-006']);
  });

  it('skips a file over the limit (10 MiB by default) and reports it; at the limit it is scanned', () => {
    assert.equal(DEFAULT_MAX_SECRET_FILE_SIZE, 10 * 1024 * 1024);
    const skips: SecretScanSkip[] = [];
    const atLimit = Buffer.alloc(DEFAULT_MAX_SECRET_FILE_SIZE, 0x20);
    atLimit.write(token, 100);
    assert.deepEqual(scanSecretsInText(atLimit, where, { onSkip: (s) => skips.push(s) }).map((f) => f.id), ['BW-SEC-006']);
    const over = Buffer.concat([atLimit, Buffer.from(' ')]);
    assert.deepEqual(scanSecretsInText(over, where, { onSkip: (s) => skips.push(s) }), []);
    assert.deepEqual(skips.map((s) => [s.reason, s.size]), [['too-large', DEFAULT_MAX_SECRET_FILE_SIZE + 1]]);
  });

  it('honours a smaller limit, for strings too', () => {
    const skips: SecretScanSkip[] = [];
    assert.deepEqual(scanSecretsInText(token, where, { maxFileSize: 10, onSkip: (s) => skips.push(s) }), []);
    assert.equal(skips[0]?.reason, 'too-large');
  });

  it('secretSkipReason decides before a file is read', () => {
    assert.equal(secretSkipReason(11 * 1024 * 1024), 'too-large');
    assert.equal(secretSkipReason(100, Buffer.from('a\0b')), 'binary');
    assert.equal(secretSkipReason(100, Buffer.from('text')), undefined);
    assert.equal(secretSkipReason(100, undefined, 50), 'too-large');
  });
});

describe('allow list', () => {
  const ids = (fs: Finding[]): string[] => fs.map((f) => f.id);

  it('drops findings by rule id or by a rule alias', () => {
    assert.deepEqual(ids(scanSecretsInText(text, where, { allowList: { rules: ['BW-SEC-006', 'private-key'] } })), ['BW-SEC-001', 'BW-SEC-002', 'BW-SEC-019', 'BW-SEC-018']);
  });

  it('drops findings by path glob, absolute or relative, dotfiles included', () => {
    for (const glob of ['**/.env', '/app/**', 'app/*']) {
      assert.deepEqual(scanSecretsInText(text, where, { allowList: { paths: [glob] } }), [], glob);
    }
    assert.equal(scanSecretsInText(text, where, { allowList: { paths: ['/srv/**', '**/*.md'] } }).length, 6);
  });

  it('drops findings whose raw secret matches a value regex (RegExp or string)', () => {
    const byRegExp = scanSecretsInText(text, where, { allowList: { values: [/^ghp_/, new RegExp(`^${dbPass}$`, 'g')] } });
    assert.deepEqual(ids(byRegExp), ['BW-SEC-001', 'BW-SEC-002', 'BW-SEC-018', 'BW-SEC-016']);
    // A global regex's lastIndex must not make the second file's test miss.
    const list = { values: [/^AKIA/g] };
    assert.ok(!ids(scanSecretsInText(text, where, { allowList: list })).includes('BW-SEC-001'));
    assert.ok(!ids(scanSecretsInText(text, { ...where, path: '/b' }, { allowList: list })).includes('BW-SEC-001'));
    assert.deepEqual(ids(scanSecretsInText(`x=${akia}\n`, where, { allowList: { values: ['^AKIA'] } })), []);
  });

  it('the known AWS example is LOW with a note, and can be allow-listed away', () => {
    const example = 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n';
    const [f] = scanSecretsInText(example, where);
    assert.equal(f?.severity, 'LOW');
    assert.match(f?.description ?? '', /example access key id from AWS documentation, not a live key/);
    assert.deepEqual(scanSecretsInText(example, where, { allowList: { values: [/EXAMPLE$/] } }), []);
  });
});

describe('scanSecretsInStrings: ENV, LABEL and history', () => {
  const history = 'RUN /bin/sh -c echo building \\\n && curl -H "Authorization: token ' + ghp + '" https://api.github.com/x';
  const entries = [
    { source: 'env' as const, value: 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin' },
    { source: 'env' as const, value: `DB_PASSWORD=${dbPass}` },
    { source: 'env' as const, key: 'AWS_SECRET_ACCESS_KEY', value: awsSecret },
    { source: 'env' as const, value: 'DB_PASSWORD_FILE=/run/secrets/db' },
    { source: 'label' as const, key: 'org.opencontainers.image.source', value: `https://ci:${urlPass}@git.example.com/app.git` },
    { source: 'label' as const, key: 'maintainer', value: 'team@example.com' },
    { source: 'history' as const, value: 'ADD file:abc in / ' },
    { source: 'history' as const, value: history, layer },
    { source: 'history' as const, value: `|1 NPM_PASSWORD=${dbPass} /bin/sh -c npm ci` },
  ];
  const findings = scanSecretsInStrings(entries, { target: 'app:1.0' });

  it('finds the secrets and names the entry each came from', () => {
    assert.deepEqual(findings.map((f) => [f.id, f.location.resource, f.location.line]), [
      ['BW-SEC-019', 'ENV DB_PASSWORD', 1],
      ['BW-SEC-002', 'ENV AWS_SECRET_ACCESS_KEY', 1],
      ['BW-SEC-018', 'LABEL org.opencontainers.image.source', 1],
      ['BW-SEC-006', 'history[1]', 2],
      ['BW-SEC-019', 'history[2]', 1],
    ]);
    assert.equal(findings[0]!.description, `Password in a configuration file in ENV DB_PASSWORD: ${maskSecret(dbPass)}.`);
  });

  it('carries the layer of a history entry, and no file path', () => {
    assert.deepEqual(findings[3]!.location.layer, layer);
    assert.equal(findings[0]!.location.layer, undefined);
    for (const f of findings) assert.equal(f.location.path, undefined);
  });

  it('masks every secret and keeps fingerprints distinct per entry', () => {
    for (const s of [dbPass, awsSecret, urlPass, ghp]) assertMasked(findings, s);
    assert.equal(new Set(findings.map((f) => f.fingerprint)).size, findings.length);
  });

  it('applies rule and value allow lists (path globs have no path to match)', () => {
    const allowed = scanSecretsInStrings(entries, { target: 'app:1.0' }, { allowList: { rules: ['BW-SEC-019'], paths: ['**'], values: [/^ghp_/] } });
    assert.deepEqual(allowed.map((f) => f.id), ['BW-SEC-002', 'BW-SEC-018']);
  });
});

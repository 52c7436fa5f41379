import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanSecretsInText, SECRET_RULES, type SecretRule } from '../../src/modules/secrets/index.js';
import { detectSecrets, type Hit } from '../../src/modules/secrets/detect.js';
import { bufferSource, PIECE_BYTES, stringSource } from '../../src/modules/secrets/text-source.js';
import { ALNUM, UPPER_DIGITS, fake, keys, opensshKey, signedJwt } from './fake.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const where = { target: 'registry.example/app:1.0', path: '/srv/app/big.txt' };
const summary = (hits: Hit[]): string[] => hits.map((h) => `${h.rule.meta.id} ${h.start}-${h.end} @${h.anchor} ${h.secret}`);

/** Filler lines of several shapes (code, prose, keywords that lead nowhere) up to `bytes`. */
function filler(seed: string, bytes: number, extra = ''): string {
  const shapes = [
    (i: number) => `const value${i} = compute(${i}, "pass-through"); // see https://example.org/docs/${i}`,
    (i: number) => `2024-01-01T00:00:00Z INFO [worker-${i % 8}] password check ok for user${i} id=${i * 7919}`,
    (i: number) => `  "item-${i}": { "secret_santa": false, "pwd_len": ${i % 40} },${extra}`,
    (i: number) => `The password policy applies to account ${i}; rotate it every 90 days.`,
  ];
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${shapes[(i + seed.length) % shapes.length]!(i)}`;
    out.push(line);
    size += line.length + 1;
  }
  return `${out.join('\n')}\n`;
}

/** Secrets of every 'line' and 'block' rule, one per line or block. */
function secretsBlock(seed: string): string {
  return [
    `aws_access_key_id = AKIA${fake(`${seed}-akia`, UPPER_DIGITS, 16)}`,
    `aws_secret_access_key =\n    ${fake(`${seed}-aws`, ALNUM, 40)}`,
    `GITHUB_TOKEN=ghp_${fake(`${seed}-ghp`, ALNUM, 36)}`,
    `DATABASE_URL=postgres://app:${fake(`${seed}-url`, ALNUM, 16)}@db:5432/app`,
    `DB_PASSWORD=${fake(`${seed}-pw`, ALNUM, 14)}`,
    `  mysql -u root --password=${fake(`${seed}-flag`, ALNUM, 12)} app`,
    `token=${signedJwt('{"alg":"HS256"}', { sub: seed })}`,
    keys.rsaPkcs1.trimEnd(),
    opensshKey('aes256-ctr').trimEnd(),
  ].join('\n');
}

/** Text long enough to be read in several pieces, with secrets straddling each piece boundary. */
function multiPiece(seed: string, extra = ''): string {
  let text = '';
  for (let piece = 1; piece <= 3; piece++) {
    text += filler(`${seed}${piece}`, piece * PIECE_BYTES - text.length - 1000, extra);
    text += `${secretsBlock(`${seed}-${piece}`)}\n`;
  }
  return text + filler(seed, 2000, extra);
}

function textFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...textFilesUnder(p));
    else if (e.isFile() && statSync(p).size < 4 << 20) out.push(p);
  }
  return out;
}

describe('secret detection from keyword lines', () => {
  const texts: Array<[string, string]> = [
    ['ASCII, several pieces', multiPiece('a')],
    ['UTF-8, several pieces', multiPiece('u', ' // größe — 日本語')],
    ['CRLF, several pieces', multiPiece('c').replace(/\n/g, '\r\n')],
    ['one long line with keywords', `${'x=1; '.repeat(30_000)}password=${fake('long', ALNUM, 12)}; ${'y=2; '.repeat(30_000)}\n`],
  ];

  it('the test texts hold secrets straddling piece boundaries', () => {
    const [, text] = texts[0]!;
    assert.ok(text.length > 3 * PIECE_BYTES);
    const source = bufferSource(Buffer.from(text));
    const hits = detectSecrets(source, SECRET_RULES);
    assert.ok(hits.length >= 27, `${hits.length} hits`);
    for (const piece of source.pieces.slice(1)) {
      assert.ok(hits.some((h) => h.start < piece.offset && h.end > piece.offset), `a secret runs across the cut at ${piece.offset}`);
    }
  });

  for (const [name, text] of texts) {
    it(`finds what a search of the whole text finds: ${name}`, () => {
      const all = summary(detectSecrets(stringSource(text), SECRET_RULES, { lines: 'all' }));
      assert.ok(all.length > 0);
      assert.deepEqual(summary(detectSecrets(stringSource(text), SECRET_RULES)), all);
      assert.deepEqual(summary(detectSecrets(bufferSource(Buffer.from(text)), SECRET_RULES)), all);
    });

    it(`gives the same findings for the bytes read in pieces as for the string: ${name}`, () => {
      const fromString = scanSecretsInText(text, where);
      assert.ok(fromString.length > 0);
      assert.deepEqual(scanSecretsInText(Buffer.from(text), where), fromString);
    });
  }

  it("finds what a search of the whole text finds, on every file of the repository's src, test and docs", () => {
    let compared = 0;
    let found = 0;
    for (const file of ['src', 'test', 'docs'].flatMap((d) => textFilesUnder(join(REPO, d)))) {
      const buf = readFileSync(file);
      if (buf.subarray(0, 8192).includes(0)) continue;
      const text = buf.toString('utf8');
      const all = summary(detectSecrets(stringSource(text), SECRET_RULES, { lines: 'all' }));
      assert.deepEqual(summary(detectSecrets(bufferSource(buf), SECRET_RULES)), all, file);
      compared++;
      found += all.length;
    }
    assert.ok(compared > 100 && found > 0, `${compared} files, ${found} hits`);
  });

  it('rejects a line-scope pattern with a numbered backreference (the wrapper shifts group numbers)', () => {
    const rule: SecretRule = { ...SECRET_RULES[0]!, detect: { patterns: [/(?<q>["'])(?<secret>x+)\1/], keywords: ['x'] } };
    assert.throws(() => detectSecrets(stringSource('"xx"'), [rule]), /named backreferences/);
  });
});

describe('text read in pieces', () => {
  const text = multiPiece('p', ' ünïcödé');
  const source = bufferSource(Buffer.from(text));

  it('cuts after newlines; each piece but the first starts with the newline before it', () => {
    assert.ok(source.pieces.length >= 3);
    assert.equal(source.length, text.length);
    for (const [i, p] of source.pieces.entries()) {
      assert.equal(p.text, text.slice(p.offset, p.offset + p.text.length));
      if (i > 0) assert.equal(p.text[0], '\n');
      if (i < source.pieces.length - 1) assert.ok(p.text.endsWith('\n'));
    }
    assert.equal(source.whole(), text);
  });

  it('gives windows across pieces and lines of any offset', () => {
    const cut = source.pieces[1]!.offset;
    for (const [start, end] of [[cut - 10, cut + 10], [cut - 5000, cut + 40_000], [0, 10], [text.length - 10, text.length]] as const) {
      const w = source.window(start, end);
      assert.ok(w.offset <= start && w.offset + w.text.length >= end);
      assert.equal(w.text, text.slice(w.offset, w.offset + w.text.length));
    }
    const offsets = [text.length - 1, 0, cut, cut + 1, 12_345, cut - 1];
    assert.deepEqual(source.linesOf(offsets), offsets.map((o) => text.slice(0, o).split('\n').length));
  });
});

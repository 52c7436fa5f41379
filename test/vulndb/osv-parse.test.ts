import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../../src/core/errors.js';
import { parseOsvJson, parseOsvRecord } from '../../src/modules/advisory/osv/parse.js';
import { osv } from '../support/osv-zip.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../examples/osv-sample/', import.meta.url));

function failure(value: unknown, where = 'rec.json'): string {
  try {
    parseOsvRecord(value, where);
  } catch (e) {
    assert.ok(e instanceof BulwarkError);
    assert.equal(e.code, 'E_FORMAT');
    assert.ok(!e.message.includes('\n'));
    return e.message;
  }
  assert.fail('expected the record to be refused');
}

describe('OSV parsing', () => {
  it('reads every sample record in examples/osv-sample into the OsvRecord shape', async () => {
    const files = (await readdir(SAMPLE_DIR)).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const text = await readFile(join(SAMPLE_DIR, file), 'utf8');
      const raw = JSON.parse(text) as { id: string; affected: { package: { name: string } }[] };
      const record = parseOsvJson(text, file);
      assert.equal(record.id, raw.id);
      assert.deepEqual(
        record.affected.map((a) => a.package.name),
        raw.affected.map((a) => a.package.name),
      );
      for (const a of record.affected) assert.ok(Array.isArray(a.ranges) && Array.isArray(a.versions) && Array.isArray(a.severity));
    }
  });

  it('maps snake_case fields, keeps upstream, and turns absent or null lists into empty ones', () => {
    const record = parseOsvRecord(
      {
        id: 'X-1',
        modified: '2025-01-01T00:00:00Z',
        aliases: null,
        upstream: ['CVE-1'],
        related: ['X-2', { type: 'SIMILAR_TO', id: 'X-3' }],
        severity: null,
        database_specific: { severity: 'HIGH' },
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'Foo', purl: 'pkg:pypi/foo' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.0' }, { limit: '2.0' }] }],
            ecosystem_specific: { affects: 'x' },
            database_specific: { source: 'y' },
          },
        ],
        references: null,
      },
      'X-1.json',
    );
    assert.deepEqual(record, {
      id: 'X-1',
      modified: '2025-01-01T00:00:00Z',
      aliases: [],
      upstream: ['CVE-1'],
      related: ['X-2', 'X-3'],
      severity: [],
      references: [],
      databaseSpecific: { severity: 'HIGH' },
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Foo', purl: 'pkg:pypi/foo' },
          severity: [],
          versions: [],
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.0' }, { limit: '2.0' }] }],
          ecosystemSpecific: { affects: 'x' },
          databaseSpecific: { source: 'y' },
        },
      ],
    });
  });

  it('tolerates unknown fields at every level', () => {
    const record = parseOsvRecord(
      {
        ...osv('X-2', [{ ecosystem: 'npm', name: 'a', events: [{ introduced: '0' }] }]),
        credits: [{ name: 'someone' }],
        future_field: { x: 1 },
        affected: [{ package: { ecosystem: 'npm', name: 'a', extra: 1 }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }], extra: 2 }], extra: 3 }],
      },
      'X-2.json',
    );
    assert.equal(record.affected[0]?.package.name, 'a');
    assert.ok(!('credits' in record));
  });

  it('drops affected entries without a package (GIT-only), which no package lookup could reach', () => {
    const record = parseOsvRecord(
      { id: 'X-3', modified: '2025-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'GIT', repo: 'https://x', events: [{ introduced: 'abc' }] }] }, { package: { ecosystem: 'Go', name: 'm' } }] },
      'X-3.json',
    );
    assert.deepEqual(
      record.affected.map((a) => a.package.name),
      ['m'],
    );
  });

  it('names the file and the field path of what is wrong', () => {
    assert.match(failure({ modified: '2025-01-01T00:00:00Z' }), /^rec\.json: not an OSV record: id: Required$/);
    assert.match(failure({ id: 'X', modified: 5 }), /rec\.json: not an OSV record: modified: Expected string, received number/);
    const badType = osv('X', [{ ecosystem: 'npm', name: 'a', events: [{ introduced: '0' }] }]);
    (badType.affected as { ranges: { type: string }[] }[])[0]!.ranges[0]!.type = 'WEIRD';
    assert.match(failure(badType), /affected\[0\]\.ranges\[0\]\.type: Invalid enum value/);
    assert.match(
      failure(osv('X', [{ ecosystem: 'npm', name: 'a', events: [{ introduced: '0', fixed: '1' }] }])),
      /affected\[0\]\.ranges\[0\]\.events\[0\]: expected exactly one of introduced, fixed, last_affected, limit, found introduced and fixed/,
    );
    assert.match(failure(osv('X', [{ ecosystem: 'npm', name: 'a', events: [{}] }])), /events\[0\]: .*found none/);
    assert.match(failure(osv('X', [{ ecosystem: 'npm', name: 'a', events: [], rangeType: 'SEMVER' }])), /events: Array must contain at least 1/);
    assert.match(failure(osv('X', [{ ecosystem: 'npm', name: 'a', events: [{ introduced: '0' }], rangeType: 'GIT' }])), /ranges\[0\]\.repo: required for a GIT range/);
    assert.match(failure(osv('X', [{ ecosystem: '', name: 'a' }])), /affected\[0\]\.package\.ecosystem: String must contain at least 1/);
    assert.match(failure([1, 2]), /\(root\): Expected object, received array/);
  });

  it('reports malformed JSON with the file name, and accepts a UTF-8 byte order mark', () => {
    assert.throws(() => parseOsvJson('{"id": "X", ', 'dir/X.json'), (e: unknown) => e instanceof BulwarkError && /^dir\/X\.json: malformed JSON \(/.test(e.message));
    const record = parseOsvJson(Buffer.from(`\uFEFF${JSON.stringify({ id: 'B', modified: '2025-01-01T00:00:00Z' })}`), 'B.json');
    assert.equal(record.id, 'B');
  });
});

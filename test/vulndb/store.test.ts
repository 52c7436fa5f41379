import { parseOsvRecord } from '../../src/modules/advisory/osv/parse.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BulwarkError } from '../../src/core/errors.js';
import { importDb } from '../../src/vulndb/import.js';
import { LOCK_FILE, dbFilePath, defaultDbDir, resolveDbDir } from '../../src/vulndb/paths.js';
import { APPLICATION_ID, migrate, SCHEMA_VERSION, type Migration } from '../../src/vulndb/migrations.js';
import { packageNameKey } from '../../src/vulndb/names.js';
import { VulnDb } from '../../src/vulndb/vulndb.js';
import { osv, writeOsvDir, writeOsvZip, writeZip, recordEntries } from '../support/osv-zip.js';
import { debianRecords, npmRecords, rejectsWith, snapshot, tempDir } from './store-support.js';

const lookupIds = (db: VulnDb, ecosystem: string, name: string): string[] =>
  db
    .lookup(ecosystem, packageNameKey(ecosystem, name))
    .map((c) => c.record.id)
    .sort();

async function dbWith(records: Parameters<typeof writeOsvDir>[1]): Promise<string> {
  const dir = await tempDir();
  await importDb({ dbDir: join(dir, 'db'), path: await writeOsvDir(join(dir, 'in'), records) });
  return join(dir, 'db');
}

describe('vulnerability database store', () => {
  it('has no database until one is written: open() gives undefined', async () => {
    assert.equal(VulnDb.open(join(await tempDir(), 'db')), undefined);
  });

  it('imports a directory and looks records up by exact ecosystem and package name key', async () => {
    const dbDir = await dbWith([...debianRecords(), ...npmRecords()]);
    const db = VulnDb.open(dbDir);
    assert.ok(db);
    try {
      assert.deepEqual(lookupIds(db, 'Debian:12', 'zlib'), ['DEBIAN-CVE-2023-45853']);
      assert.deepEqual(lookupIds(db, 'Debian:11', 'zlib'), ['DEBIAN-CVE-2023-45853']);
      assert.deepEqual(lookupIds(db, 'Debian:10', 'zlib'), []);
      assert.deepEqual(lookupIds(db, 'npm', 'lodash'), ['GHSA-aaaa-bbbb-cccc']);
      assert.deepEqual(lookupIds(db, 'npm', '@scope/pkg'), ['GHSA-dddd-eeee-ffff']);
      assert.deepEqual(lookupIds(db, 'npm', 'Lodash'), [], 'npm names are case-sensitive');
      const [candidate] = db.lookup('Debian:11', 'zlib');
      assert.equal(candidate?.affected.package.ecosystem, 'Debian:11', 'the candidate carries the affected entry that matched');
      assert.ok(!('affected' in (candidate?.record ?? {})), 'affected entries come from the index, one per candidate');
      assert.equal(db.lookup('Debian:12', 'zlib')[0]?.record.id, candidate?.record.id, 'the same record under its other release');
      const [lodash] = db.lookup('npm', 'lodash');
      assert.deepEqual(lodash?.record.aliases, ['CVE-2021-23337']);
      assert.deepEqual(lodash?.affected.ranges, [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }]);
      assert.deepEqual(
        db.sources().map((s) => [s.ecosystem, s.records, s.withdrawn]),
        [
          ['Debian', 4, 1],
          ['npm', 2, 0],
        ],
      );
    } finally {
      db.close();
    }
  });

  it('never returns withdrawn records, though it stores and counts them', async () => {
    const db = VulnDb.open(await dbWith(debianRecords()));
    assert.ok(db);
    try {
      assert.deepEqual(lookupIds(db, 'Debian:12', 'apt'), ['DEBIAN-CVE-2011-3374']);
      assert.equal(db.sources()[0]?.withdrawn, 1);
    } finally {
      db.close();
    }
  });

  it('normalises PyPI names (PEP 503) and NuGet / Packagist case when storing, so any spelling finds them', async () => {
    const db = VulnDb.open(
      await dbWith([
        osv('PYSEC-1', [{ ecosystem: 'PyPI', name: 'Foo_Bar.baz', events: [{ introduced: '0' }] }]),
        osv('GHSA-nuget', [{ ecosystem: 'NuGet', name: 'Newtonsoft.Json', events: [{ introduced: '0' }] }]),
        osv('GHSA-php', [{ ecosystem: 'Packagist', name: 'Symfony/Http-Kernel', events: [{ introduced: '0' }] }]),
      ]),
    );
    assert.ok(db);
    try {
      for (const name of ['foo-bar-baz', 'Foo_Bar.baz', 'FOO.BAR_BAZ', 'foo__bar--baz']) assert.deepEqual(lookupIds(db, 'PyPI', name), ['PYSEC-1'], name);
      assert.deepEqual(lookupIds(db, 'PyPI', 'foobarbaz'), []);
      assert.deepEqual(lookupIds(db, 'NuGet', 'newtonsoft.json'), ['GHSA-nuget']);
      assert.deepEqual(lookupIds(db, 'Packagist', 'symfony/http-kernel'), ['GHSA-php']);
    } finally {
      db.close();
    }
  });

  it('stores a record once per source it affects, and indexes each source only for its own ecosystem', async () => {
    const both = osv('GHSA-both', [
      { ecosystem: 'npm', name: 'shared', events: [{ introduced: '0' }] },
      { ecosystem: 'PyPI', name: 'shared', events: [{ introduced: '0' }] },
    ]);
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    await importDb({ dbDir, path: await writeOsvDir(join(dir, 'a'), [both]) });
    let db = VulnDb.open(dbDir);
    assert.ok(db);
    assert.deepEqual(lookupIds(db, 'npm', 'shared'), ['GHSA-both']);
    assert.deepEqual(lookupIds(db, 'PyPI', 'shared'), ['GHSA-both']);
    assert.deepEqual(
      db.sources().map((s) => [s.ecosystem, s.records]),
      [
        ['PyPI', 1],
        ['npm', 1],
      ],
    );
    db.close();
    // A later import of npm alone replaces npm only; PyPI keeps its copy.
    await importDb({ dbDir, path: await writeOsvDir(join(dir, 'b'), [osv('GHSA-npm-only', [{ ecosystem: 'npm', name: 'other', events: [{ introduced: '0' }] }])]) });
    db = VulnDb.open(dbDir);
    assert.ok(db);
    try {
      assert.deepEqual(lookupIds(db, 'npm', 'shared'), []);
      assert.deepEqual(lookupIds(db, 'PyPI', 'shared'), ['GHSA-both']);
      assert.deepEqual(lookupIds(db, 'npm', 'other'), ['GHSA-npm-only']);
    } finally {
      db.close();
    }
  });

  it('keeps the copy modified last when one import holds the same id twice', async () => {
    const older = osv('DSA-1-1', [{ ecosystem: 'Debian:12', name: 'old-pkg', events: [{ introduced: '0' }] }], { modified: '2025-01-01T00:00:00Z' });
    const newer = osv('DSA-1-1', [{ ecosystem: 'Debian:12', name: 'new-pkg', events: [{ introduced: '0' }] }], { modified: '2025-02-01T00:00:00Z' });
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const dir = await tempDir();
      const zip = await writeZip(join(dir, 'dup.zip'), [...recordEntries([order[0]!], 'a/'), ...recordEntries([order[1]!], 'b/')]);
      await importDb({ dbDir: join(dir, 'db'), path: zip });
      const db = VulnDb.open(join(dir, 'db'));
      assert.ok(db);
      try {
        assert.deepEqual(lookupIds(db, 'Debian:12', 'new-pkg'), ['DSA-1-1']);
        assert.deepEqual(lookupIds(db, 'Debian:12', 'old-pkg'), []);
        assert.equal(db.sources()[0]?.records, 1);
      } finally {
        db.close();
      }
    }
  });

  it('imports an all.zip and a single JSON file', async () => {
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    const result = await importDb({ dbDir, path: await writeOsvZip(join(dir, 'all.zip'), debianRecords()) });
    assert.deepEqual(result.sources, [{ ecosystem: 'Debian', records: 4, withdrawn: 1 }]);
    await writeFile(join(dir, 'one.json'), JSON.stringify(npmRecords()[0]));
    await importDb({ dbDir, path: join(dir, 'one.json') });
    const db = VulnDb.open(dbDir);
    assert.ok(db);
    try {
      assert.deepEqual(lookupIds(db, 'npm', 'lodash'), ['GHSA-aaaa-bbbb-cccc']);
      assert.deepEqual(lookupIds(db, 'Debian:12', 'glibc'), ['DSA-5514-1']);
      assert.equal(db.sources().find((s) => s.ecosystem === 'npm')?.origin, join(dir, 'one.json'));
    } finally {
      db.close();
    }
  });

  it('gives each candidate the affected entry exactly as its record holds it', async () => {
    const inputs = [
      ...debianRecords(),
      ...npmRecords(),
      osv('PYSEC-2', [{ ecosystem: 'PyPI', name: 'Bar', versions: ['1.0'] }], {
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'Bar', purl: 'pkg:pypi/bar' },
            severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2' }] }],
            versions: ['1.0'],
            ecosystem_specific: { imports: ['bar.x'] },
            database_specific: { source: 'z' },
          },
        ],
      }),
    ];
    const originals = inputs.map((r) => parseOsvRecord(r, r.id));
    const db = VulnDb.open(await dbWith(inputs));
    assert.ok(db);
    try {
      const keys: [string, string][] = [['Debian:12', 'zlib'], ['Debian:11', 'zlib'], ['Debian:12', 'glibc'], ['npm', 'lodash'], ['npm', '@scope/pkg'], ['PyPI', 'bar']];
      for (const [ecosystem, name] of keys) {
        const found = db.lookup(ecosystem, packageNameKey(ecosystem, name));
        assert.equal(found.length, 1, `${ecosystem} ${name}`);
        const [c] = found;
        const original = originals.find((r) => r.id === c?.record.id);
        assert.deepEqual(c?.affected, original?.affected.find((a) => a.package.ecosystem === ecosystem));
      }
      assert.deepEqual(db.lookup('PyPI', 'bar')[0]?.affected.package, { ecosystem: 'PyPI', name: 'Bar', purl: 'pkg:pypi/bar' });
    } finally {
      db.close();
    }
  });

  it('parses each record once and hands the same object to later lookups', async () => {
    const db = VulnDb.open(await dbWith(debianRecords()));
    assert.ok(db);
    try {
      const [a] = db.lookup('Debian:12', 'zlib');
      const [b] = db.lookup('Debian:11', 'zlib');
      assert.ok(a && b);
      assert.equal(a.record, b.record);
      assert.notEqual(a.affected, b.affected);
    } finally {
      db.close();
    }
  });

  it('reports age and staleness per source in info()', async () => {
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    await importDb({ dbDir, path: await writeOsvDir(join(dir, 'd'), debianRecords()), now: new Date('2026-01-01T00:00:00Z') });
    await importDb({ dbDir, path: await writeOsvDir(join(dir, 'n'), npmRecords()), now: new Date('2026-01-03T00:00:00Z') });
    const db = VulnDb.open(dbDir);
    assert.ok(db);
    try {
      const day = 86_400_000;
      const now = new Date('2026-01-03T12:00:00Z');
      const all = db.info(day, now);
      assert.equal(all.schemaVersion, SCHEMA_VERSION);
      assert.equal(all.updatedAt, '2026-01-03T00:00:00.000Z');
      assert.equal(all.stale, true, 'Debian is 2.5 days old');
      assert.deepEqual(
        all.sources.map((s) => [s.ecosystem, s.records, s.fetchedAt]),
        [
          ['Debian', 4, '2026-01-01T00:00:00.000Z'],
          ['npm', 2, '2026-01-03T00:00:00.000Z'],
        ],
      );
      assert.equal(db.info(day, now, ['npm']).stale, false);
      assert.equal(db.info(day, now, ['NPM']).sources[0]?.ecosystem, 'npm');
      assert.equal(db.info(day, now, ['npm', 'PyPI']).stale, true, 'a needed ecosystem without data is stale');
      assert.equal(db.info(3 * day, now).stale, false);
    } finally {
      db.close();
    }
  });

  it('refuses a corrupt file, a foreign SQLite file and a newer schema with one-line E_DB errors', async () => {
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    await mkdir(dbDir);
    const file = dbFilePath(dbDir);
    await writeFile(file, Buffer.alloc(8192, 0x5a));
    assert.throws(() => VulnDb.open(dbDir), (e: unknown) => e instanceof BulwarkError && e.code === 'E_DB' && /is corrupt/.test(e.message) && e.message.includes(file));

    await writeFile(file, '');
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    assert.throws(() => VulnDb.open(dbDir), /not a bulwark vulnerability database/);

    const valid = await dbWith(debianRecords());
    await writeFile(file, await readFile(dbFilePath(valid)));
    const newer = new Database(file);
    newer.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    newer.close();
    assert.throws(() => VulnDb.open(dbDir), (e: unknown) => e instanceof BulwarkError && e.code === 'E_DB' && /newer than this bulwark reads/.test(e.message));
  });

  it('refuses to build on a corrupt database and leaves it as it was', async () => {
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    await mkdir(dbDir);
    await writeFile(dbFilePath(dbDir), Buffer.alloc(8192, 0x5a));
    const before = await snapshot(dbDir);
    await rejectsWith(importDb({ dbDir, path: await writeOsvDir(join(dir, 'in'), npmRecords()) }), 'E_DB', /is corrupt.*delete it/);
    assert.deepEqual(await snapshot(dbDir), before);
  });

  it('reads a database truncated half-way as corrupt, not as empty', async () => {
    const dbDir = await dbWith(Array.from({ length: 200 }, (_, i) => osv(`X-${i}`, [{ ecosystem: 'npm', name: `p${i}`, events: [{ introduced: '0' }] }], { details: 'x'.repeat(2000) })));
    const bytes = await readFile(dbFilePath(dbDir));
    await writeFile(dbFilePath(dbDir), bytes.subarray(0, Math.floor(bytes.length / 2)));
    assert.throws(
      () => {
        const db = VulnDb.open(dbDir);
        try {
          for (let i = 0; i < 200; i++) db?.lookup('npm', `p${i}`);
        } finally {
          db?.close();
        }
      },
      (e: unknown) => e instanceof BulwarkError && e.code === 'E_DB',
    );
  });

  it('applies migrations in order inside one transaction, and only the missing ones', () => {
    const db = new Database(':memory:');
    const ran: number[] = [];
    const step = (version: number): Migration => ({ version, description: `v${version}`, up: (d) => (ran.push(version), d.exec(`CREATE TABLE t${version} (x)`)) });
    const base: Migration = { version: 1, description: 'meta', up: (d) => (ran.push(1), d.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')) };
    assert.equal(migrate(db, ':memory:', [base]), 1);
    assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.equal(migrate(db, ':memory:', [base, step(2), step(3)]), 3);
    assert.deepEqual(ran, [1, 2, 3]);
    assert.equal(migrate(db, ':memory:', [base, step(2), step(3)]), 3);
    assert.deepEqual(ran, [1, 2, 3]);
    const failing: Migration = { version: 4, description: 'fails', up: (d) => (d.exec('CREATE TABLE t4 (x)'), d.exec('NOT SQL')) };
    assert.throws(() => migrate(db, ':memory:', [base, step(2), step(3), failing]));
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), '3');
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 't4'").pluck().get(), 0);
    assert.throws(() => migrate(db, 'x.sqlite', [base]), /newer than this bulwark reads/);
    db.close();
  });

  it('refuses a second writer while the lock is held, and takes over a lock left by a dead process', async () => {
    const dir = await tempDir();
    const dbDir = join(dir, 'db');
    const input = await writeOsvDir(join(dir, 'in'), npmRecords());
    await mkdir(dbDir);
    await writeFile(join(dbDir, LOCK_FILE), JSON.stringify({ pid: process.pid }));
    await rejectsWith(importDb({ dbDir, path: input }), 'E_DB', new RegExp(`pid ${process.pid}\\) is writing the vulnerability database`));
    assert.equal(existsSync(dbFilePath(dbDir)), false);

    await writeFile(join(dbDir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    await writeFile(join(dbDir, '.vulndb-tmp-999-dead.sqlite'), 'left by a killed writer');
    await importDb({ dbDir, path: input });
    assert.deepEqual((await readdir(dbDir)).sort(), ['vulndb.sqlite']);
  });

  it('puts the database in BULWARK_CACHE_DIR or the user cache dir, an explicit dir winning', () => {
    assert.equal(defaultDbDir({ BULWARK_CACHE_DIR: '/srv/bulwark' }), '/srv/bulwark');
    assert.match(defaultDbDir({}), /\/bulwark\/db$/, 'the user cache dir (env-paths, without its "-nodejs" suffix)');
    assert.equal(resolveDbDir('/explicit', { BULWARK_CACHE_DIR: '/srv/bulwark' }), '/explicit');
    assert.equal(resolveDbDir(undefined, { BULWARK_CACHE_DIR: '/srv/bulwark' }), '/srv/bulwark');
  });
});

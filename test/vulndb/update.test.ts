import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { dbStatus } from '../../src/vulndb/status.js';
import { updateDb, type UpdateDbOptions } from '../../src/vulndb/update.js';
import { VulnDb } from '../../src/vulndb/vulndb.js';
import type { DbProgress } from '../../src/vulndb/progress.js';
import { startOsvServer, type OsvServer } from '../support/osv-server.js';
import { osv, zipBuffer, recordEntries } from '../support/osv-zip.js';
import { debianRecords, npmRecords, rejectsWith, snapshot, tempDir } from './store-support.js';

let server: OsvServer;

before(async () => {
  server = await startOsvServer();
});
after(() => server.stop());
beforeEach(() => server.behave());

async function publish(ecosystem: string, records: ReturnType<typeof debianRecords>, lastModified?: Date): Promise<void> {
  server.publish(ecosystem, await zipBuffer(recordEntries(records)), { lastModified });
}

/** A database holding Debian and npm from the server, and its directory. */
async function freshDb(): Promise<string> {
  await publish('Debian', debianRecords());
  await publish('npm', npmRecords());
  const dbDir = join(await tempDir(), 'db');
  await updateDb({ dbDir, baseUrl: server.baseUrl, ecosystems: ['debian', 'NPM'] });
  return dbDir;
}

const update = (dbDir: string, extra: Partial<UpdateDbOptions> = {}) => updateDb({ dbDir, baseUrl: server.baseUrl, timeoutMs: 2000, ...extra });

function lookupIds(dbDir: string, ecosystem: string, name: string): string[] {
  const db = VulnDb.open(dbDir);
  assert.ok(db, 'a database exists');
  try {
    return db.lookup(ecosystem, name).map((c) => c.record.id).sort();
  } finally {
    db.close();
  }
}

/** The database is byte-identical to `before`, still answers lookups, and no temporary files are left. */
async function assertUntouched(dbDir: string, before: Record<string, string>): Promise<void> {
  assert.deepEqual(await snapshot(dbDir), before);
  assert.deepEqual(await readdir(dbDir), ['vulndb.sqlite']);
  assert.deepEqual(lookupIds(dbDir, 'Debian:12', 'glibc'), ['DSA-5514-1']);
}

describe('db update against an OSV server on 127.0.0.1', () => {
  it('downloads each ecosystem, stores OSV spelling and validators, and status shows it', async () => {
    const progress: DbProgress[] = [];
    await publish('Debian', debianRecords());
    await publish('npm', npmRecords());
    const dbDir = join(await tempDir(), 'db');
    const result = await updateDb({ dbDir, baseUrl: `${server.baseUrl}/`, ecosystems: ['debian', 'NPM'], onProgress: (p) => progress.push(p), now: new Date('2026-03-01T00:00:00Z') });
    assert.deepEqual(
      result.sources.map((s) => [s.ecosystem, s.status, s.records, s.withdrawn]),
      [
        ['Debian', 'updated', 4, 1],
        ['npm', 'updated', 2, 0],
      ],
    );
    assert.ok(result.sources.every((s) => s.bytes > 0));
    assert.deepEqual(
      server.requests.slice(-2).map((r) => r.path),
      ['/Debian/all.zip', '/npm/all.zip'],
    );
    const status = dbStatus(dbDir, 86_400_000, new Date('2026-03-01T01:00:00Z'));
    assert.equal(status.exists, true);
    assert.equal(status.stale, false);
    assert.ok((status.sizeBytes ?? 0) > 0);
    assert.deepEqual(
      status.sources.map((s) => [s.ecosystem, s.records, s.withdrawn, s.origin, s.fetchedAt, s.ageMs, s.stale, Boolean(s.etag), Boolean(s.lastModified)]),
      [
        ['Debian', 4, 1, `${server.baseUrl}/Debian/all.zip`, '2026-03-01T00:00:00.000Z', 3_600_000, false, true, true],
        ['npm', 2, 0, `${server.baseUrl}/npm/all.zip`, '2026-03-01T00:00:00.000Z', 3_600_000, false, true, true],
      ],
    );
    assert.ok(progress.some((p) => p.phase === 'download' && p.ecosystem === 'Debian' && p.totalBytes !== undefined && p.bytes === p.totalBytes));
    assert.ok(progress.some((p) => p.phase === 'import' && p.ecosystem === 'npm' && p.documents === 2 && p.totalDocuments === 2));
    assert.deepEqual(lookupIds(dbDir, 'Debian:12', 'glibc'), ['DSA-5514-1']);
    assert.deepEqual(await readdir(dbDir), ['vulndb.sqlite']);
  });

  it('sends the stored validators next time; a 304 keeps the records and refreshes fetchedAt', async () => {
    const dbDir = await freshDb();
    const before = server.requests.length;
    const result = await update(dbDir, { now: new Date('2030-01-01T00:00:00Z') });
    const seen = server.requests.slice(before);
    assert.deepEqual(
      seen.map((r) => [r.path, r.status]),
      [
        ['/Debian/all.zip', 304],
        ['/npm/all.zip', 304],
      ],
      'with no ecosystems named, the ones in the database are updated',
    );
    assert.match(String(seen[0]?.headers['if-none-match']), /^"[0-9a-f]{32}"$/);
    assert.ok(seen[0]?.headers['if-modified-since']);
    assert.deepEqual(
      result.sources.map((s) => [s.ecosystem, s.status, s.records, s.bytes]),
      [
        ['Debian', 'not-modified', 4, 0],
        ['npm', 'not-modified', 2, 0],
      ],
    );
    const db = VulnDb.open(dbDir);
    assert.ok(db);
    try {
      assert.ok(db.sources().every((s) => s.fetchedAt === '2030-01-01T00:00:00.000Z'));
      assert.equal(db.lookup('npm', 'lodash').length, 1);
    } finally {
      db.close();
    }
  });

  it('honours If-Modified-Since alone when the server sends no ETag match', async () => {
    const dbDir = await freshDb();
    // New ETag, same Last-Modified: If-None-Match decides (RFC 9110), so the server sends the new body.
    const lastModified = new Date(Date.now() - 60_000);
    server.publish('npm', await zipBuffer(recordEntries(npmRecords())), { etag: '"changed"', lastModified });
    const before = server.requests.length;
    await update(dbDir, { ecosystems: ['npm'] });
    assert.equal(server.requests[before]?.status, 200);
  });

  it('drops a record removed upstream and picks up a new one', async () => {
    const dbDir = await freshDb();
    const [, ...rest] = debianRecords();
    await publish('Debian', [...rest, osv('DSA-9999-1', [{ ecosystem: 'Debian:12', name: 'curl', events: [{ introduced: '0' }] }])]);
    const result = await update(dbDir, { ecosystems: ['Debian'] });
    assert.deepEqual(result.sources.map((s) => [s.ecosystem, s.status, s.records]), [['Debian', 'updated', 4]]);
    assert.deepEqual(lookupIds(dbDir, 'Debian:12', 'glibc'), []);
    assert.deepEqual(lookupIds(dbDir, 'Debian:12', 'curl'), ['DSA-9999-1']);
    assert.deepEqual(lookupIds(dbDir, 'npm', 'lodash'), ['GHSA-aaaa-bbbb-cccc'], 'sources not asked for stay');
  });

  it('leaves the previous database byte-identical when the server drops the connection half-way', async () => {
    const dbDir = await freshDb();
    const before = await snapshot(dbDir);
    await publish('Debian', [osv('DSA-NEW', [{ ecosystem: 'Debian:12', name: 'x', events: [{ introduced: '0' }] }], { details: 'y'.repeat(50_000) })]);
    server.misbehave({ kind: 'drop' }, 'Debian');
    await rejectsWith(update(dbDir), 'E_DB', /GET http:\/\/127\.0\.0\.1:\d+\/Debian\/all\.zip: download failed/);
    await assertUntouched(dbDir, before);
  });

  it('fails the whole update when any ecosystem fails, even after another one downloaded', async () => {
    const dbDir = await freshDb();
    const before = await snapshot(dbDir);
    await publish('Debian', [osv('DSA-NEW', [{ ecosystem: 'Debian:12', name: 'x', events: [{ introduced: '0' }] }])]);
    server.misbehave({ kind: 'status', status: 500 }, 'npm');
    await rejectsWith(update(dbDir), 'E_DB', /npm\/all\.zip: HTTP 500/);
    await assertUntouched(dbDir, before);
  });

  it('times out a stalled body with the configured timeout and leaves the database alone', async () => {
    const dbDir = await freshDb();
    const before = await snapshot(dbDir);
    await publish('Debian', [osv('DSA-NEW', [{ ecosystem: 'Debian:12', name: 'x', events: [{ introduced: '0' }] }], { details: 'z'.repeat(50_000) })]);
    server.misbehave({ kind: 'stall' }, 'Debian');
    await rejectsWith(update(dbDir, { timeoutMs: 300 }), 'E_TIMEOUT', /Debian\/all\.zip: the server stalled sending data for more than 300 ms/);
    await assertUntouched(dbDir, before);
    server.behave();
    server.misbehave({ kind: 'stall-headers' });
    await rejectsWith(update(dbDir, { timeoutMs: 300 }), 'E_TIMEOUT', /did not answer within 300 ms/);
    await assertUntouched(dbDir, before);
  });

  it('rejects a zip holding an invalid record, naming the entry, and keeps the old data', async () => {
    const dbDir = await freshDb();
    const before = await snapshot(dbDir);
    const bad = osv('DSA-BAD', [{ ecosystem: 'Debian:12', name: 'x', events: [{ introduced: '0', fixed: '1' }] }]);
    await publish('Debian', [...debianRecords(), bad]);
    await rejectsWith(update(dbDir), 'E_FORMAT', /entry "DSA-BAD\.json": not an OSV record: affected\[0\]\.ranges\[0\]\.events\[0\]/);
    await assertUntouched(dbDir, before);
    server.publish('Debian', Buffer.from('this is not a zip'));
    await rejectsWith(update(dbDir), 'E_FORMAT', /not a readable zip file/);
    await assertUntouched(dbDir, before);
  });

  it('says which ecosystem OSV does not have (404), and refuses a download over the size limit', async () => {
    const dbDir = await freshDb();
    const before = await snapshot(dbDir);
    await rejectsWith(update(dbDir, { ecosystems: ['NoSuchEcosystem'] }), 'E_DB', /NoSuchEcosystem\/all\.zip: HTTP 404 \(is that an OSV ecosystem name\?\)/);
    await publish('npm', [...npmRecords(), osv('GHSA-new', [{ ecosystem: 'npm', name: 'n', events: [{ introduced: '0' }] }])]);
    await rejectsWith(update(dbDir, { limits: { maxDownloadBytes: 100 } }), 'E_LIMIT', /over the 100 byte download limit/);
    await assertUntouched(dbDir, before);
  });

  it('refuses a 304 to a request that carried no validators', async () => {
    const dbDir = join(await tempDir(), 'db');
    server.misbehave({ kind: 'status', status: 304 });
    await rejectsWith(update(dbDir, { ecosystems: ['npm'] }), 'E_DB', /npm\/all\.zip: HTTP 304 Not Modified to a request without validators/);
    assert.equal(VulnDb.open(dbDir), undefined);
  });

  it('needs ecosystems when the database has none, and URL-encodes names with spaces', async () => {
    const dbDir = join(await tempDir(), 'db');
    await rejectsWith(update(dbDir), 'E_USAGE', /no ecosystems to update.*--ecosystems Debian,npm/);
    await publish('Red Hat', [osv('RHSA-2024:1', [{ ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'openssl', events: [{ introduced: '0' }] }])]);
    await update(dbDir, { ecosystems: ['red hat'] });
    assert.equal(server.requests.at(-1)?.path, '/Red%20Hat/all.zip');
    assert.deepEqual(lookupIds(dbDir, 'Red Hat:enterprise_linux:9::baseos', 'openssl'), ['RHSA-2024:1']);
  });

  it('talks plain HTTP only to loopback hosts unless insecure', async () => {
    const dbDir = join(await tempDir(), 'db');
    await rejectsWith(updateDb({ dbDir, baseUrl: 'http://osv.example.invalid', ecosystems: ['npm'] }), 'E_USAGE', /plain HTTP to osv\.example\.invalid refused/);
    await rejectsWith(updateDb({ dbDir, baseUrl: 'ftp://127.0.0.1/x', ecosystems: ['npm'] }), 'E_USAGE', /expected an http or https URL/);
    await rejectsWith(
      updateDb({ dbDir, baseUrl: 'http://osv.example.invalid', ecosystems: ['npm'], insecure: true, timeoutMs: 2000 }),
      'E_DB',
      /osv\.example\.invalid\/npm\/all\.zip: download failed/,
    );
  });
});

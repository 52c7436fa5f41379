import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ensureFreshDb, type EnsureFreshDbOptions } from '../../src/vulndb/ensure.js';
import { updateDb } from '../../src/vulndb/update.js';
import type { OsvServer } from '../support/osv-server.js';
import { recordEntries, zipBuffer } from '../support/osv-zip.js';
import { debianRecords, startServerWithRecords, rejectsWith, snapshot, tempDir } from './store-support.js';

const HOUR = 3_600_000;
let server: OsvServer;

before(async () => {
  server = await startServerWithRecords();
});
after(() => server.stop());
beforeEach(() => server.behave());

interface Run {
  warnings: string[];
  requested: string[];
  ids: string[];
}

/** ensureFreshDb with defaults for a scan at `now`, returning what it warned, fetched and can look up. */
async function ensure(dbDir: string, options: Partial<EnsureFreshDbOptions> = {}): Promise<Run> {
  const warnings: string[] = [];
  const before = server.requests.length;
  const db = await ensureFreshDb({
    dbDir,
    ecosystems: ['Debian:12'],
    baseUrl: server.baseUrl,
    maxAgeMs: 24 * HOUR,
    offline: false,
    skipUpdate: false,
    timeoutMs: 2000,
    onWarning: (m) => warnings.push(m),
    ...options,
  });
  try {
    const ids = [...db.lookup('Debian:12', 'glibc'), ...db.lookup('npm', 'lodash')].map((c) => c.record.id).sort();
    return { warnings, requested: server.requests.slice(before).map((r) => `${r.path} ${r.status}`), ids };
  } finally {
    db.close();
  }
}

async function dbFetchedAt(at: Date, ecosystems = ['Debian']): Promise<string> {
  const dbDir = join(await tempDir(), 'db');
  await updateDb({ dbDir, baseUrl: server.baseUrl, ecosystems, now: at });
  return dbDir;
}

describe('ensureFreshDb (the scan-time update)', () => {
  it('creates a missing database with the ecosystems the scan needs', async () => {
    const dbDir = join(await tempDir(), 'db');
    const run = await ensure(dbDir, { ecosystems: ['Debian:12', 'npm'] });
    assert.deepEqual(run.requested, ['/Debian/all.zip 200', '/npm/all.zip 200']);
    assert.deepEqual(run.ids, ['DSA-5514-1', 'GHSA-aaaa-bbbb-cccc']);
    assert.deepEqual(run.warnings, []);
  });

  it('does not touch the network while the data is fresh', async () => {
    const dbDir = await dbFetchedAt(new Date());
    const run = await ensure(dbDir);
    assert.deepEqual(run.requested, []);
    assert.deepEqual(run.warnings, []);
    assert.deepEqual(run.ids, ['DSA-5514-1']);
  });

  it('updates only what is stale or missing', async () => {
    const now = new Date();
    const dbDir = await dbFetchedAt(new Date(now.getTime() - 48 * HOUR));
    const run = await ensure(dbDir, { ecosystems: ['Debian:12', 'npm'], now });
    assert.deepEqual(run.requested, ['/Debian/all.zip 304', '/npm/all.zip 200']);
    assert.deepEqual(run.warnings, []);
    const again = await ensure(dbDir, { ecosystems: ['Debian:12', 'npm'], now });
    assert.deepEqual(again.requested, [], 'the 304 refreshed Debian');
  });

  it('uses stale data offline or with skipUpdate, warning on every scan', async () => {
    const now = new Date();
    const dbDir = await dbFetchedAt(new Date(now.getTime() - 72 * HOUR));
    for (const flags of [{ offline: true }, { skipUpdate: true }, { offline: true }]) {
      const run = await ensure(dbDir, { ...flags, now });
      assert.deepEqual(run.requested, []);
      assert.deepEqual(run.ids, ['DSA-5514-1']);
      assert.equal(run.warnings.length, 1);
      assert.match(run.warnings[0] ?? '', /Debian data is stale \((--offline|--skip-db-update)\): fetched .* \(3d 0h ago\).*bulwark db update/);
    }
  });

  it('warns about an ecosystem it has no data for and cannot fetch', async () => {
    const dbDir = await dbFetchedAt(new Date());
    const run = await ensure(dbDir, { ecosystems: ['Debian:12', 'npm'], offline: true });
    assert.deepEqual(run.warnings, ['the vulnerability database has no npm data (--offline): npm packages are not checked; run `bulwark db update --ecosystems npm`']);
  });

  it('falls back to the existing data with a warning when the update fails, leaving it intact', async () => {
    const now = new Date();
    const dbDir = await dbFetchedAt(new Date(now.getTime() - 30 * HOUR));
    const before = await snapshot(dbDir);
    server.misbehave({ kind: 'drop', afterBytes: 10 });
    server.publish('Debian', await zipBuffer(recordEntries(debianRecords().slice(1))));
    const run = await ensure(dbDir, { now });
    assert.deepEqual(run.ids, ['DSA-5514-1']);
    assert.equal(run.warnings.length, 2);
    assert.match(run.warnings[0] ?? '', /^could not update the vulnerability database: GET .*\/Debian\/all\.zip: download failed/);
    assert.match(run.warnings[1] ?? '', /Debian data is stale: fetched/);
    assert.deepEqual(await snapshot(dbDir), before);
    server.publish('Debian', await zipBuffer(recordEntries(debianRecords())));
  });

  it('fails with E_DB and the way out when there is no database and none can be had', async () => {
    const dbDir = join(await tempDir(), 'db');
    await rejectsWith(ensure(dbDir, { offline: true, ecosystems: ['Debian:12', 'npm'] }), 'E_DB', /no vulnerability database in .* \(--offline\); get one with `bulwark db update --ecosystems Debian,npm` or, offline, `bulwark db import PATH`/);
    server.misbehave({ kind: 'status', status: 500 });
    await rejectsWith(ensure(dbDir), 'E_DB', /no vulnerability database in .* \(the update failed: GET .*Debian\/all\.zip: HTTP 500\)/);
  });
});

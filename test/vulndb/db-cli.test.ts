/** `bulwark db ...` as users run it: the built CLI (npm run build) against the OSV server on 127.0.0.1. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, runCli } from '../support/cli.js';
import type { OsvServer } from '../support/osv-server.js';
import { osv, recordEntries, writeOsvDir, zipBuffer } from '../support/osv-zip.js';
import { debianRecords, npmRecords, startServerWithRecords, snapshot, tempDir } from './store-support.js';

let server: OsvServer;

before(async () => {
  server = await startServerWithRecords();
});
after(() => server.stop());
beforeEach(() => server.behave());

/** Runs `bulwark db ...` with the test server as BULWARK_DB_URL and a private cache dir. */
const db = (cacheDir: string, ...args: string[]) => runCli(['db', ...args], { env: { BULWARK_DB_URL: server.baseUrl, BULWARK_CACHE_DIR: cacheDir } });

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0] ?? '', /^bulwark: error: /);
  return lines[0] ?? '';
}

describe('bulwark db (CLI)', () => {
  it('update, then status as a table and as JSON', async () => {
    const dir = join(await tempDir(), 'db');
    const up = await db(dir, 'update', '--ecosystems', 'debian,NPM', '--no-progress');
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /^ecosystem\s+result\s+records\s+withdrawn\s+downloaded$/m);
    assert.match(up.stdout, /^Debian\s+updated\s+4\s+1\s+\d/m);
    assert.match(up.stdout, /^npm\s+updated\s+2\s+0\s+\d/m);
    assert.match(up.stdout, new RegExp(`database: ${dir}/vulndb\\.sqlite`));
    assert.equal(up.stderr, '', 'no progress bar when stderr is not a terminal');

    const table = await db(dir, 'status');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^database  ${dir}/vulndb\\.sqlite$`, 'm'));
    assert.match(table.stdout, /^schema {4}1$/m);
    assert.match(table.stdout, /^status {4}fresh \(every source younger than 24h\)$/m);
    assert.match(table.stdout, new RegExp(`^Debian\\s+4\\s+1\\s+\\S+Z\\s+\\d+s\\s+${server.baseUrl}/Debian/all\\.zip$`, 'm'));

    const json = await db(dir, 'status', '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const status = JSON.parse(json.stdout) as { exists: boolean; schemaVersion: number; sizeBytes: number; stale: boolean; maxAgeMs: number; sources: { ecosystem: string; records: number; withdrawn: number; stale: boolean; origin: string }[] };
    assert.equal(status.exists, true);
    assert.equal(status.schemaVersion, 1);
    assert.ok(status.sizeBytes > 0);
    assert.equal(status.stale, false);
    assert.equal(status.maxAgeMs, 86_400_000);
    assert.deepEqual(
      status.sources.map((s) => [s.ecosystem, s.records, s.withdrawn, s.stale, s.origin]),
      [
        ['Debian', 4, 1, false, `${server.baseUrl}/Debian/all.zip`],
        ['npm', 2, 0, false, `${server.baseUrl}/npm/all.zip`],
      ],
    );

    const stale = await db(dir, 'status', '--max-age', '1ms');
    assert.match(stale.stdout, /^status {4}STALE/m);
    assert.match(stale.stdout, /^npm\s+.*\s+STALE\s+http/m);

    const again = await db(dir, 'update');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Debian\s+not-modified\s+4\s+1\s+-$/m);
  });

  it('imports a directory, with --cache-dir winning over BULWARK_CACHE_DIR', async () => {
    const root = await tempDir();
    const input = await writeOsvDir(join(root, 'osv'), [...npmRecords(), osv('PYSEC-1', [{ ecosystem: 'PyPI', name: 'Foo', events: [{ introduced: '0' }] }])]);
    const res = await db(join(root, 'env-dir'), 'import', input, '--cache-dir', join(root, 'flag-dir'), '--no-progress');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^PyPI\s+1\s+0$/m);
    assert.match(res.stdout, /^npm\s+2\s+0$/m);
    assert.match(res.stdout, /imported 3 records into .*flag-dir\/vulndb\.sqlite/);
    assert.deepEqual(await readdir(join(root, 'flag-dir')), ['vulndb.sqlite']);
  });

  it('reports failures as one line with exit code 2 and leaves the database as it was', async () => {
    const dir = join(await tempDir(), 'db');
    assert.equal((await db(dir, 'update', '--ecosystems', 'Debian')).code, 0);
    const before = await snapshot(dir);
    server.publish('Debian', await zipBuffer(recordEntries(debianRecords().slice(1))));
    server.misbehave({ kind: 'status', status: 500 });
    const failed = await db(dir, 'update');
    assert.equal(failed.code, 2);
    assert.match(oneErrorLine(failed.stderr), /GET http:\/\/127\.0\.0\.1:\d+\/Debian\/all\.zip: HTTP 500$/);
    assert.deepEqual(await snapshot(dir), before);

    server.behave();
    server.misbehave({ kind: 'stall' });
    const stalled = await db(dir, 'update', '--timeout', '500ms');
    assert.equal(stalled.code, 2);
    assert.match(oneErrorLine(stalled.stderr), /stalled sending data for more than 500 ms/);
    assert.deepEqual(await snapshot(dir), before);

    const empty = join(await tempDir(), 'db');
    const usage = await db(empty, 'update');
    assert.equal(usage.code, 2);
    assert.match(oneErrorLine(usage.stderr), /no ecosystems to update/);
    const plain = await runCli(['db', 'update', '--ecosystems', 'npm', '--db-url', 'http://osv.example.invalid', '--cache-dir', empty]);
    assert.match(oneErrorLine(plain.stderr), /plain HTTP to osv\.example\.invalid refused; use https, or --insecure/);
    const badFormat = await db(dir, 'status', '--format', 'xml');
    assert.equal(badFormat.code, 2);
    oneErrorLine(badFormat.stderr);
  });

  it('status says how to get a database when there is none, and calls a corrupt one corrupt', async () => {
    const dir = join(await tempDir(), 'db');
    const none = await db(dir, 'status');
    assert.equal(none.code, 0);
    assert.match(none.stdout, /no vulnerability database at .*vulndb\.sqlite\nget one with `bulwark db update --ecosystems Debian,npm` or `bulwark db import PATH`/);
    assert.deepEqual(JSON.parse((await db(dir, 'status', '-f', 'json')).stdout).exists, false);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'vulndb.sqlite'), Buffer.alloc(4096, 1));
    const corrupt = await db(dir, 'status');
    assert.equal(corrupt.code, 2);
    assert.match(oneErrorLine(corrupt.stderr), /vulnerability database .*vulndb\.sqlite is corrupt \(file is not a database\); delete it and run `bulwark db update`/);
  });

  it('Ctrl-C during a download leaves the previous database, and no temporary file or lock', async () => {
    const dir = join(await tempDir(), 'db');
    assert.equal((await db(dir, 'update', '--ecosystems', 'Debian')).code, 0);
    const before = await snapshot(dir);
    server.publish('Debian', await zipBuffer(recordEntries([...debianRecords(), osv('DSA-LATE', [], { details: 'l'.repeat(100_000) })])));
    server.misbehave({ kind: 'stall' });
    const seen = server.requests.length;
    const child = spawn(process.execPath, [CLI, 'db', 'update', '--no-progress'], { env: { ...process.env, BULWARK_DB_URL: server.baseUrl, BULWARK_CACHE_DIR: dir }, stdio: 'ignore' });
    const exited = once(child, 'exit');
    for (let i = 0; i < 200 && server.requests.length === seen; i++) await sleep(25);
    assert.ok(server.requests.length > seen, 'the download started');
    await sleep(100);
    assert.ok((await readdir(dir)).some((n) => n.startsWith('.vulndb-tmp-')), 'the update was working on temporary files');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 130);
    assert.deepEqual(await snapshot(dir), before);
    assert.deepEqual(await readdir(dir), ['vulndb.sqlite']);
  });
});

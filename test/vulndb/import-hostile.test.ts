import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importDb } from '../../src/vulndb/import.js';
import type { ImportLimits } from '../../src/vulndb/import-limits.js';
import { VulnDb } from '../../src/vulndb/vulndb.js';
import { osv, recordEntries, renameZipEntry, setDeclaredSize, writeOsvDir, writeOsvZip, writeZip, type ZipEntry } from '../support/osv-zip.js';
import { debianRecords, npmRecords, rejectsWith, snapshot, tempDir } from './store-support.js';

/** A database with Debian data, a scratch folder for hostile inputs, and a check that nothing changed. */
async function setup(): Promise<{ dbDir: string; work: string; untouched: () => Promise<void> }> {
  const root = await tempDir('bulwark-hostile-');
  const dbDir = join(root, 'db');
  await importDb({ dbDir, path: await writeOsvDir(join(root, 'seed'), debianRecords()) });
  const before = await snapshot(dbDir);
  const work = join(root, 'work');
  await mkdir(work);
  return {
    dbDir,
    work,
    untouched: async () => {
      assert.deepEqual(await snapshot(dbDir), before, 'the database is byte-identical');
      assert.deepEqual(await readdir(dbDir), ['vulndb.sqlite'], 'no temporary files or lock left');
      const db = VulnDb.open(dbDir);
      assert.ok(db);
      try {
        assert.equal(db.lookup('Debian:12', 'glibc').length, 1);
      } finally {
        db.close();
      }
    },
  };
}

const good = (): ZipEntry[] => recordEntries(npmRecords());

type Setup = Awaited<ReturnType<typeof setup>>;

async function importFails(c: Setup, path: string, code: string, message: RegExp, limits?: Partial<ImportLimits>): Promise<void> {
  await rejectsWith(importDb({ dbDir: c.dbDir, path, limits }), code, message);
  await c.untouched();
}

describe('db import of hostile zips', () => {
  it('refuses entry names that climb out or are absolute, naming the entry', async () => {
    const c = await setup();
    const work = c.work;
    const climbing = await writeZip(join(work, 'climb.zip'), [...good(), { name: 'aa/evil.json', content: '{}' }]);
    await renameZipEntry(climbing, 'aa/evil.json', '../evil.json');
    await importFails(c, climbing, 'E_PATH', /climb\.zip: entry "\.\.\/evil\.json": path-like entry name/);

    const absolute = await writeZip(join(work, 'abs.zip'), [...good(), { name: 'xetc/a.json', content: '{}' }]);
    await renameZipEntry(absolute, 'xetc/a.json', '/etc/a.json');
    await importFails(c, absolute, 'E_PATH', /entry "\/etc\/a\.json": path-like/);
  });

  it('refuses a symbolic link entry', async () => {
    const c = await setup();
    const work = c.work;
    const zip = await writeZip(join(work, 'link.zip'), [...good(), { name: 'link.json', content: '/etc/passwd', mode: 0o120777 }]);
    await importFails(c, zip, 'E_PATH', /entry "link\.json": symbolic link entry/);
  });

  it('refuses an entry declaring an absurd size before inflating anything', async () => {
    const c = await setup();
    const work = c.work;
    const zip = await writeZip(join(work, 'absurd.zip'), [...good(), { name: 'big.json', content: JSON.stringify(osv('BIG', [])) }]);
    await setDeclaredSize(zip, 'big.json', 0xfffffff0);
    await importFails(c, zip, 'E_LIMIT', /entry "big\.json": declares 4294967280 bytes uncompressed, over the \d+ byte limit/);
  });

  it('refuses a decompression bomb by its compression ratio', async () => {
    const c = await setup();
    const work = c.work;
    const bomb = `{"id":"BOMB","modified":"2025-01-01T00:00:00Z","details":"${' '.repeat(8 * 1024 * 1024)}"}`;
    const zip = await writeZip(join(work, 'bomb.zip'), [...good(), { name: 'bomb.json', content: bomb }]);
    await importFails(c, zip, 'E_LIMIT', /entry "bomb\.json": compression ratio \d+:1 is over 200:1, likely a decompression bomb/);
  });

  it('never inflates more than an entry declares (a header lying small)', async () => {
    const c = await setup();
    const work = c.work;
    const zip = await writeZip(join(work, 'liar.zip'), [...good(), { name: 'liar.json', content: JSON.stringify(osv('LIAR', [], { details: 'q'.repeat(100_000) })) }]);
    await setDeclaredSize(zip, 'liar.json', 64);
    await importFails(c, zip, 'E_LIMIT', /entry "liar\.json": inflates past its declared 64 bytes/);
  });

  it('refuses a record bigger than the per-record limit', async () => {
    const c = await setup();
    const work = c.work;
    const zip = await writeZip(join(work, 'huge.zip'), [...good(), { name: 'huge.json', content: JSON.stringify(osv('HUGE', [], { details: 'h'.repeat(5000) })) }]);
    await importFails(c, zip, 'E_LIMIT', /entry "huge\.json": declares \d+ bytes uncompressed, over the 4096 byte limit for one record/, { maxDocumentBytes: 4096 });
  });

  it('reports malformed JSON and invalid records with the entry name', async () => {
    const c = await setup();
    const work = c.work;
    const malformed = await writeZip(join(work, 'malformed.zip'), [...good(), { name: 'sub/broken.json', content: '{"id": "X", "modified": ' }]);
    await importFails(c, malformed, 'E_FORMAT', /malformed\.zip: entry "sub\/broken\.json": malformed JSON \(/);
    const invalid = await writeZip(join(work, 'invalid.zip'), [...good(), { name: 'bad.json', content: JSON.stringify({ id: 'X', modified: '2025-01-01T00:00:00Z', affected: [{ package: { name: 'a' } }] }) }]);
    await importFails(c, invalid, 'E_FORMAT', /entry "bad\.json": not an OSV record: affected\[0\]\.package\.ecosystem: Required/);
  });

  it('detects corrupt and truncated zips', async () => {
    const c = await setup();
    const work = c.work;
    const entries = recordEntries(Array.from({ length: 20 }, (_, i) => osv(`GHSA-${i}`, [{ ecosystem: 'npm', name: `p${i}`, events: [{ introduced: '0' }] }], { details: `${i} `.repeat(300) })));
    const corrupt = await writeZip(join(work, 'corrupt.zip'), entries);
    const bytes = await readFile(corrupt);
    for (let i = 200; i < 260; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    await writeFile(corrupt, bytes);
    await importFails(c, corrupt, 'E_FORMAT', /corrupt\.zip: entry "GHSA-0\.json": (corrupt compressed data|CRC-32 mismatch|inflates to)/);

    const whole = await readFile(await writeZip(join(work, 'whole.zip'), entries));
    await writeFile(join(work, 'truncated.zip'), whole.subarray(0, Math.floor(whole.length / 2)));
    await importFails(c, join(work, 'truncated.zip'), 'E_FORMAT', /truncated\.zip: not a readable zip file/);

    await writeFile(join(work, 'fake.zip'), 'PK\x03\x04 and then nothing a zip would hold');
    await importFails(c, join(work, 'fake.zip'), 'E_FORMAT', /fake\.zip: not a readable zip file/);
    await writeFile(join(work, 'notes.txt'), 'hello');
    await importFails(c, join(work, 'notes.txt'), 'E_FORMAT', /notes\.txt: neither a zip of OSV records, a directory of them, nor an OSV JSON file/);
  });

  it('skips entries that are not JSON (a README in a zip of many) but imports the rest', async () => {
    const { dbDir, work } = await setup();
    const zip = await writeZip(join(work, 'mixed.zip'), [{ name: 'README.md', content: '# notes' }, { name: 'npm/', content: '' }, ...recordEntries(npmRecords(), 'npm/')]);
    const result = await importDb({ dbDir, path: zip });
    assert.deepEqual(result.sources, [{ ecosystem: 'npm', records: 2, withdrawn: 0 }]);
  });
});

describe('db import of hostile directories', () => {
  it('refuses a symbolic link pointing outside the directory, and does not follow it', async () => {
    const c = await setup();
    const work = c.work;
    const dir = await writeOsvDir(join(work, 'tree'), npmRecords());
    const outside = join(work, 'outside');
    await writeOsvDir(outside, [osv('OUTSIDE-1', [{ ecosystem: 'npm', name: 'secret', events: [{ introduced: '0' }] }])]);
    await symlink(outside, join(dir, 'escape'));
    await importFails(c, dir, 'E_PATH', /tree\/escape: symbolic link pointing outside/);
    await symlink('/etc/passwd', join(work, 'tree2.json'));
    const dir2 = await writeOsvDir(join(work, 'tree2'), npmRecords());
    await symlink('../tree2.json', join(dir2, 'passwd.json'));
    await importFails(c, dir2, 'E_PATH', /tree2\/passwd\.json: symbolic link pointing outside/);
  });

  it('ignores links inside the tree (their targets are read once) and never opens a FIFO', async () => {
    const { dbDir, work } = await setup();
    const dir = await writeOsvDir(join(work, 'tree'), npmRecords(), { byEcosystem: true });
    await symlink('npm', join(dir, 'again'));
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const result = await importDb({ dbDir, path: dir });
    assert.equal(result.documents, 2);
    assert.deepEqual(result.sources, [{ ecosystem: 'npm', records: 2, withdrawn: 0 }]);
  });

  it('refuses a JSON file over the per-record limit, and malformed JSON, naming the file', async () => {
    const c = await setup();
    const work = c.work;
    const dir = await writeOsvDir(join(work, 'big'), [...npmRecords(), osv('BIG-1', [], { details: 'b'.repeat(10_000) })]);
    await importFails(c, dir, 'E_LIMIT', /big\/BIG-1\.json: \d+ bytes, over the 8192 byte limit for one record/, { maxDocumentBytes: 8192 });
    const dir2 = await writeOsvDir(join(work, 'broken'), npmRecords());
    await writeFile(join(dir2, 'zz.json'), '[1, 2');
    await importFails(c, dir2, 'E_FORMAT', /broken\/zz\.json: malformed JSON/);
  });

  it('refuses a directory with no records, and a path that does not exist', async () => {
    const c = await setup();
    const work = c.work;
    await mkdir(join(work, 'empty'));
    await writeFile(join(work, 'empty', 'notes.txt'), 'x');
    await importFails(c, join(work, 'empty'), 'E_INPUT', /empty: no OSV records with affected packages found/);
    await importFails(c, join(work, 'missing'), 'E_INPUT', /missing: cannot be read \(ENOENT\)/);
  });

  it('imports a zip written by the benchmark writer (Zip64 end record) the same as a yazl zip', async () => {
    const { dbDir, work } = await setup();
    const { writeOsvZipStream } = await import('../support/osv-zip.js');
    const records = Array.from({ length: 50 }, (_, i) => osv(`GHSA-z${i}`, [{ ecosystem: 'npm', name: `z${i}`, events: [{ introduced: '0' }] }]));
    await writeOsvZipStream(join(work, 'stream.zip'), records);
    await writeOsvZip(join(work, 'yazl.zip'), records);
    const a = await importDb({ dbDir, path: join(work, 'stream.zip') });
    const b = await importDb({ dbDir, path: join(work, 'yazl.zip') });
    assert.deepEqual(a.sources, [{ ecosystem: 'npm', records: 50, withdrawn: 0 }]);
    assert.deepEqual(b.sources, a.sources);
  });
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isBulwarkError } from '../../src/core/errors.js';
import type { OsInfo, Package } from '../../src/core/package.js';
import { RpmHeader } from '../../src/modules/detector/rpm/header.js';
import { rpmDetector } from '../../src/modules/detector/rpm/index.js';
import { parseSourceRpm } from '../../src/modules/detector/rpm/record.js';
import type { DetectorResult } from '../../src/modules/detector/types.js';
import { viewFromDirs } from '../support/dir-view.js';
import { missingRpmTools, rpmFixtures, type OracleRow, type RpmFixtures } from '../support/rpm-fixtures.js';

const RHEL: OsInfo = { family: 'rhel', version: '9.4', source: '/etc/os-release' };
const skip = await missingRpmTools();

let fx: RpmFixtures;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bulwark-rpm-'));
  if (!skip) fx = await rpmFixtures();
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** `os: null` scans without an identified OS. */
async function detectDirs(dirs: string[], os: OsInfo | null = RHEL): Promise<DetectorResult> {
  const fs = viewFromDirs(dirs, rpmDetector.wants, dirs.map((_, i) => `RUN step ${i}`));
  return rpmDetector.detect(os ? { fs, os, target: 'image', inspections: [] } : { fs, target: 'image', inspections: [] });
}

/** A one-layer image holding `content` at `relPath`. */
async function detectFile(relPath: string, content: Buffer): Promise<DetectorResult> {
  const dir = await mkdtemp(join(scratch, 'img-'));
  await mkdir(join(dir, dirname(relPath)), { recursive: true });
  await writeFile(join(dir, relPath), content);
  return detectDirs([dir]);
}

function byName(packages: Package[] | undefined): Map<string, Package> {
  return new Map((packages ?? []).map((p) => [p.name, p]));
}

function assertMatchesOracle(result: DetectorResult, oracle: OracleRow[], location: string): void {
  assert.deepEqual(result.notices, []);
  const pkgs = byName(result.packages);
  assert.deepEqual([...pkgs.keys()].sort(), oracle.map((r) => r.name));
  for (const row of oracle) {
    const p = pkgs.get(row.name) as Package;
    const epoch = row.epoch === '(none)' ? undefined : Number(row.epoch);
    assert.equal(p.type, 'rpm');
    assert.equal(p.epoch, epoch, `${row.name} epoch`);
    assert.equal(p.version, `${epoch === undefined ? '' : `${epoch}:`}${row.version}-${row.release}`);
    assert.equal(p.release, row.release);
    assert.equal(p.arch, row.arch);
    assert.equal(`${p.sourceName}-${p.sourceVersion}.src.rpm`, row.sourceRpm);
    assert.deepEqual(p.licenses, [row.license]);
    assert.equal(p.vendor, row.vendor === '(none)' ? undefined : row.vendor);
    assert.deepEqual([...(p.files ?? [])].sort(), fx.files[row.name]);
    assert.equal(p.location, location);
    const epochQ = epoch === undefined ? '' : `&epoch=${epoch}`;
    assert.equal(p.purl, `pkg:rpm/redhat/${row.name}@${row.version}-${row.release}?arch=${row.arch}&distro=rhel-9.4${epochQ}`);
  }
}

describe('rpm detector', { skip }, () => {
  it('wants exactly the rpm databases', () => {
    for (const dir of ['var/lib/rpm', 'usr/lib/sysimage/rpm']) {
      for (const file of ['rpmdb.sqlite', 'Packages', 'Packages.db']) assert.ok(rpmDetector.wants(`${dir}/${file}`), `${dir}/${file}`);
    }
    for (const p of ['var/lib/rpm/Name', 'var/lib/rpm/rpmdb.sqlite-wal', 'var/lib/dpkg/status', 'etc/rpm/Packages', 'var/lib/rpm']) {
      assert.ok(!rpmDetector.wants(p), p);
    }
  });

  it('the fixtures are real: rpm reads the Berkeley DB file through its bdb_ro backend', () => {
    assert.equal(fx.oracle.length, 4);
    assert.deepEqual(fx.bdbOracle, fx.oracle);
  });

  it('reads rpmdb.sqlite like rpm -qa / rpm -ql', async () => {
    assertMatchesOracle(await detectDirs([fx.sqliteRoot]), fx.oracle, '/var/lib/rpm/rpmdb.sqlite');
  });

  it('reads a Berkeley DB hash Packages (overflow pages, several buckets) like rpm -qa / rpm -ql', async () => {
    assertMatchesOracle(await detectDirs([fx.bdbRoot]), fx.oracle, '/var/lib/rpm/Packages');
  });

  it('reads an ndb Packages.db like rpm -qa / rpm -ql', async () => {
    assertMatchesOracle(await detectDirs([fx.ndbRoot]), fx.oracle, '/usr/lib/sysimage/rpm/Packages.db');
  });

  it('attributes each package to the layer that installed its current version', async () => {
    const result = await detectDirs(fx.layerRoots);
    const pkgs = byName(result.packages);
    const layers = Object.fromEntries([...pkgs].map(([name, p]) => [name, p.layer]));
    assert.deepEqual(layers, {
      alpha: { index: 0, diffId: `sha256:${'0'.repeat(64)}`, createdBy: 'RUN step 0' },
      gamma: { index: 1, diffId: `sha256:${'0'.repeat(63)}1`, createdBy: 'RUN step 1' },
      libgamma: { index: 1, diffId: `sha256:${'0'.repeat(63)}1`, createdBy: 'RUN step 1' },
      // beta 0.9 came in layer 0, but the 1.0 that is installed now came in layer 2.
      beta: { index: 2, diffId: `sha256:${'0'.repeat(63)}2`, createdBy: 'RUN step 2' },
    });
    assert.equal(pkgs.get('beta')?.version, '1.0-1');
  });

  it('reports a database reached through a symlinked /var/lib/rpm once', async () => {
    const dir = await mkdtemp(join(scratch, 'link-'));
    await mkdir(join(dir, 'usr/lib/sysimage/rpm'), { recursive: true });
    await mkdir(join(dir, 'var/lib'), { recursive: true });
    await writeFile(join(dir, 'usr/lib/sysimage/rpm/rpmdb.sqlite'), await readFile(join(fx.sqliteRoot, 'var/lib/rpm/rpmdb.sqlite')));
    await symlink('../../usr/lib/sysimage/rpm', join(dir, 'var/lib/rpm'));
    const result = await detectDirs([dir]);
    assert.equal(result.packages?.length, 4);
    assert.ok(result.packages?.every((p) => p.location === '/usr/lib/sysimage/rpm/rpmdb.sqlite'));
  });

  it('builds purls from the OS: vendor namespace and distro qualifier, none without an OS', async () => {
    const suse = byName((await detectDirs([fx.sqliteRoot], { family: 'opensuse-leap', version: '15.6', source: 'x' })).packages);
    assert.equal(suse.get('beta')?.purl, 'pkg:rpm/opensuse/beta@1.0-1?arch=noarch&distro=opensuse-leap-15.6');
    const bare = byName((await detectDirs([fx.sqliteRoot], null)).packages);
    assert.equal(bare.get('alpha')?.purl, 'pkg:rpm/alpha@1.2.3-4.el9?arch=noarch&epoch=2');
  });

  it('skips gpg-pubkey pseudo-packages', async () => {
    const db = sqliteDb([
      [1, header([[1000, 'gpg-pubkey'], [1001, 'fd431d51'], [1002, '4ae0493b']])],
      [2, header([[1000, 'tiny'], [1001, '1'], [1002, '2'], [1022, 'x86_64']])],
    ]);
    const result = await detectFile('var/lib/rpm/rpmdb.sqlite', db);
    assert.deepEqual(result.packages?.map((p) => `${p.name} ${p.version} ${p.arch}`), ['tiny 1-2 x86_64']);
  });

  it('parses SOURCERPM names', () => {
    assert.deepEqual(parseSourceRpm('bash-5.1.8-6.el9.src.rpm'), { name: 'bash', version: '5.1.8-6.el9' });
    assert.deepEqual(parseSourceRpm('perl-Foo-Bar-1.0-1.nosrc.rpm'), { name: 'perl-Foo-Bar', version: '1.0-1' });
    assert.equal(parseSourceRpm('garbage.src.rpm'), undefined);
  });
});

describe('rpm detector on hostile input', { skip }, () => {
  it('a garbage rpmdb.sqlite is a warning notice', async () => {
    const result = await detectFile('var/lib/rpm/rpmdb.sqlite', Buffer.from('this is not sqlite at all'.repeat(50)));
    assert.deepEqual(result.packages, []);
    assert.equal(result.notices?.length, 1);
    assert.equal(result.notices?.[0]?.level, 'warning');
    assert.match(result.notices?.[0]?.message ?? '', /^unsupported rpmdb format: .*\/var\/lib\/rpm\/rpmdb\.sqlite/);
  });

  it('truncated databases of every format are warning notices, never a crash', async () => {
    const cases: Array<[string, string]> = [
      ['var/lib/rpm/rpmdb.sqlite', join(fx.sqliteRoot, 'var/lib/rpm/rpmdb.sqlite')],
      ['var/lib/rpm/Packages', join(fx.bdbRoot, 'var/lib/rpm/Packages')],
      ['usr/lib/sysimage/rpm/Packages.db', join(fx.ndbRoot, 'usr/lib/sysimage/rpm/Packages.db')],
    ];
    for (const [rel, source] of cases) {
      const full = await readFile(source);
      const result = await detectFile(rel, full.subarray(0, Math.floor(full.length * 0.6)));
      assert.ok((result.notices ?? []).some((n) => n.level === 'warning' && n.message.includes(`/${rel}`)), rel);
    }
  });

  it('a header with an out-of-range offset is a clear error naming the database and header number', async () => {
    const blob = header([[1000, 'tiny'], [1001, '1'], [1002, '2']]);
    blob.writeInt32BE(0x7fff, 8 + 16 + 8); // offset of the second entry
    assert.throws(
      () => new RpmHeader(blob, { dbPath: '/var/lib/rpm/rpmdb.sqlite', headerNumber: 7 }),
      (e) => isBulwarkError(e) && e.code === 'E_FORMAT' && /#7 in \/var\/lib\/rpm\/rpmdb\.sqlite: tag 1001 offset 32767/.test(e.message),
    );
    const good = header([[1000, 'ok'], [1001, '1'], [1002, '1']]);
    const result = await detectFile('var/lib/rpm/rpmdb.sqlite', sqliteDb([[7, blob], [8, good]]));
    assert.deepEqual(result.packages?.map((p) => p.name), ['ok']);
    assert.equal(result.notices?.length, 1);
    assert.match(result.notices?.[0]?.message ?? '', /malformed rpm header #7 in \/var\/lib\/rpm\/rpmdb\.sqlite/);
  });

  it('rejects unterminated strings, huge counts and short blobs', () => {
    const origin = { dbPath: '/db', headerNumber: 1 };
    const unterminated = header([[1000, 'name']]);
    unterminated[unterminated.length - 1] = 0x41;
    assert.throws(() => new RpmHeader(unterminated, origin).string(1000), /not NUL-terminated/);
    const huge = header([[1000, 'name']]);
    huge.writeUInt32BE(0xffffffff, 0);
    assert.throws(() => new RpmHeader(huge, origin), /index count/);
    assert.throws(() => new RpmHeader(Buffer.alloc(3), origin), /shorter than the header preamble/);
    const tooLong = header([[1000, 'name']]);
    tooLong.writeUInt32BE(1 << 20, 4);
    assert.throws(() => new RpmHeader(tooLong, origin), /needs \d+ bytes/);
  });

  it('a Berkeley DB overflow chain that loops is an error, not a hang', async () => {
    const bdb = Buffer.from(await readFile(join(fx.bdbRoot, 'var/lib/rpm/Packages')));
    const pageSize = bdb.readUInt32LE(20);
    let looped = 0;
    for (let pg = 1; pg * pageSize < bdb.length; pg++) {
      const at = pg * pageSize;
      if (bdb[at + 25] === 7 && bdb.readUInt32LE(at + 16) !== 0) {
        bdb.writeUInt32LE(pg, at + 16); // next_pgno -> itself
        looped++;
      }
    }
    assert.ok(looped > 0, 'fixture has multi-page overflow chains');
    const result = await detectFile('var/lib/rpm/Packages', bdb);
    assert.match(result.notices?.[0]?.message ?? '', /unsupported rpmdb format: .*overflow chain .* loops/);
  });

  it('survives random corruption of every format', async () => {
    const sources: Array<[string, Buffer]> = [
      ['var/lib/rpm/rpmdb.sqlite', await readFile(join(fx.sqliteRoot, 'var/lib/rpm/rpmdb.sqlite'))],
      ['var/lib/rpm/Packages', await readFile(join(fx.bdbRoot, 'var/lib/rpm/Packages'))],
      ['usr/lib/sysimage/rpm/Packages.db', await readFile(join(fx.ndbRoot, 'usr/lib/sysimage/rpm/Packages.db'))],
    ];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const [rel, original] of sources) {
      for (let round = 0; round < 40; round++) {
        const mutated = Buffer.from(original);
        for (let k = 0; k < 1 + rand(8); k++) mutated[rand(mutated.length)] = rand(256);
        const result = await detectFile(rel, mutated);
        for (const p of result.packages ?? []) assert.equal(typeof p.name, 'string');
      }
    }
  });
});

type HeaderEntry = [tag: number, value: string];

/** A minimal rpm header blob of STRING entries. */
function header(entries: HeaderEntry[]): Buffer {
  const data: Buffer[] = [];
  const index = Buffer.alloc(entries.length * 16);
  let offset = 0;
  entries.forEach(([tag, value], i) => {
    const bytes = Buffer.from(`${value}\0`);
    index.writeUInt32BE(tag, i * 16);
    index.writeUInt32BE(6, i * 16 + 4);
    index.writeUInt32BE(offset, i * 16 + 8);
    index.writeUInt32BE(1, i * 16 + 12);
    data.push(bytes);
    offset += bytes.length;
  });
  const preamble = Buffer.alloc(8);
  preamble.writeUInt32BE(entries.length, 0);
  preamble.writeUInt32BE(offset, 4);
  return Buffer.concat([preamble, index, ...data]);
}

/** An rpmdb.sqlite image with rpm's Packages table. */
function sqliteDb(rows: Array<[number, Buffer]>): Buffer {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO Packages (hnum, blob) VALUES (?, ?)');
    for (const [hnum, blob] of rows) insert.run(hnum, blob);
    return db.serialize();
  } finally {
    db.close();
  }
}

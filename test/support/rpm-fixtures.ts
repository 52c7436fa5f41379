/**
 * Real rpm databases for the rpm detector tests, built with Debian's rpm 4.18 (rpmbuild + rpm -i/-U)
 * and db5.3-util, cached under BULWARK_TEST_CACHE (default /var/cache/bulwark-test) in a directory
 * keyed by a sha256 of the recipe. Rebuilt whenever that directory is missing.
 *
 * - sqlite: the database rpm writes itself (Debian's default backend).
 * - bdb: a real Berkeley DB hash file made by `db5.3_load -t hash` from the sqlite headers
 *   (key = header number in host order, value = header blob), read back with rpm's bdb_ro backend.
 * - ndb: Debian's rpm is built without the ndb backend (`rpm --showrc`: sqlite bdb_ro dummy), so
 *   Packages.db is written here following rpm's lib/backend/ndb/rpmpkg.c (see writeNdb). Checked once
 *   against rpm 4.18's own rpmpkg.c compiled from Debian's source: rpmpkgPut of the same headers gives
 *   the same bytes except blob timestamps (and so their adler32) and the header's next-index field.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

const CACHE_DIR = process.env['BULWARK_TEST_CACHE'] ?? '/var/cache/bulwark-test';
const RPM_ARGS = ['--dbpath', '/var/lib/rpm'];
const ORACLE_QF = '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{LICENSE}|%{VENDOR}\\n';

/** One row of `rpm -qa` (EPOCH is "(none)" when unset). */
export interface OracleRow {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string;
  license: string;
  vendor: string;
}

export interface RpmFixtures {
  dir: string;
  /** Image roots; each holds one database under var/lib/rpm (ndb: usr/lib/sysimage/rpm). */
  sqliteRoot: string;
  bdbRoot: string;
  ndbRoot: string;
  /** Layer directories: after step 1 (alpha, beta 0.9), step 2 (+gamma, libgamma), step 3 (beta -> 1.0). */
  layerRoots: string[];
  /** `rpm -qa` on the final sqlite database, and on the bdb one through rpm's bdb_ro backend. */
  oracle: OracleRow[];
  bdbOracle: OracleRow[];
  /** `rpm -ql NAME` per package. */
  files: Record<string, string[]>;
}

interface Spec {
  name: string;
  body: string;
}

const SPECS: Spec[] = [
  spec('alpha', '1.2.3', '4.el9', 'MIT and BSD', 'Epoch: 2\nVendor: Bulwark Test', {
    '/usr/share/alpha/a.txt': 'alpha',
    '/etc/alpha.conf': 'cfg',
  }),
  spec('beta', '0.9', '1', 'GPL-2.0-or-later', '', { '/usr/bin/beta': '#!/bin/sh', '/usr/share/doc/beta/README': 'b' }),
  spec('beta', '1.0', '1', 'GPL-2.0-or-later', '', {
    '/usr/bin/beta': '#!/bin/sh\necho 1',
    '/usr/share/doc/beta/README': 'b1',
    '/usr/share/doc/beta/NEWS': 'n',
  }),
  {
    name: 'gamma',
    body: [
      'Name: gamma',
      'Version: 3.0',
      'Release: 7.fc40',
      'Summary: gamma',
      'License: Apache-2.0',
      'BuildArch: noarch',
      '%description',
      'gamma',
      '%package -n libgamma',
      'Summary: gamma library',
      'License: LGPL-2.1-only',
      '%description -n libgamma',
      'libgamma',
      '%install',
      'mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/gamma',
      'echo g > %{buildroot}/usr/bin/gamma',
      'echo l > %{buildroot}/usr/lib/gamma/libgamma.txt',
      '%files',
      '/usr/bin/gamma',
      '%files -n libgamma',
      '/usr/lib/gamma',
      '',
    ].join('\n'),
  },
];

function spec(name: string, version: string, release: string, license: string, extra: string, files: Record<string, string>): Spec {
  const paths = Object.keys(files);
  const install = paths.map((p) => `mkdir -p %{buildroot}${dirname(p)} && printf '%s' '${files[p]}' > %{buildroot}${p}`);
  return {
    name: `${name}-${version}`,
    body: [
      `Name: ${name}`,
      `Version: ${version}`,
      `Release: ${release}`,
      `Summary: ${name}`,
      `License: ${license}`,
      ...(extra ? [extra] : []),
      'BuildArch: noarch',
      '%description',
      name,
      '%install',
      ...install,
      '%files',
      ...paths,
      '',
    ].join('\n'),
  };
}

let memo: Promise<RpmFixtures> | undefined;

export function rpmFixtures(): Promise<RpmFixtures> {
  memo ??= build();
  memo.catch(() => {
    memo = undefined;
  });
  return memo;
}

async function build(): Promise<RpmFixtures> {
  const hash = createHash('sha256').update(JSON.stringify({ v: 1, SPECS, RPM_ARGS, ORACLE_QF })).digest('hex');
  const dir = join(CACHE_DIR, `rpm-${hash.slice(0, 16)}`);
  if (!existsSync(join(dir, 'done'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await buildInto(tmp);
    await writeFile(join(tmp, 'done'), '');
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  return JSON.parse(await readFile(join(dir, 'fixtures.json'), 'utf8').then((s) => s.replaceAll('@DIR@', dir))) as RpmFixtures;
}

async function buildInto(dir: string): Promise<void> {
  const rpms = await buildRpms(join(dir, 'top'));
  const root = join(dir, 'root');
  await run('rpm', ['--root', root, ...RPM_ARGS, '--initdb']);
  const layerRoots: string[] = [];
  const steps = [[rpms['alpha-1.2.3'], rpms['beta-0.9']], [rpms['gamma'], rpms['libgamma']], [rpms['beta-1.0']]];
  for (const [i, step] of steps.entries()) {
    await run('rpm', ['--root', root, ...RPM_ARGS, i === 2 ? '-U' : '-i', '--nodeps', '--ignorearch', '--noscripts', ...(step as string[])]);
    const layer = join(dir, `layer${i}`);
    await copyInto(join(root, 'var/lib/rpm/rpmdb.sqlite'), join(layer, 'var/lib/rpm/rpmdb.sqlite'));
    layerRoots.push(layer);
  }
  const blobs = sqliteBlobs(await readFile(join(root, 'var/lib/rpm/rpmdb.sqlite')));
  const bdbRoot = join(dir, 'bdb');
  await writeBdb(blobs, join(bdbRoot, 'var/lib/rpm/Packages'), dir);
  const ndbRoot = join(dir, 'ndb');
  await copyInto(undefined, join(ndbRoot, 'usr/lib/sysimage/rpm/Packages.db'), writeNdb(blobs));
  const oracle = await queryAll(root, []);
  const bdbOracle = await queryAll(bdbRoot, ['--define', '_db_backend bdb_ro']);
  const files: Record<string, string[]> = {};
  for (const row of oracle) files[row.name] = await listFiles(root, row.name);
  const fixtures: RpmFixtures = { dir, sqliteRoot: root, bdbRoot, ndbRoot, layerRoots, oracle, bdbOracle, files };
  await writeFile(join(dir, 'fixtures.json'), JSON.stringify(fixtures, null, 1).replaceAll(dir, '@DIR@'));
}

/** Builds every spec; returns the .rpm paths by spec name (and by subpackage name). */
async function buildRpms(top: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of SPECS) {
    const specFile = join(top, 'SPECS', `${s.name}.spec`);
    await copyInto(undefined, specFile, Buffer.from(s.body));
    const rpmsDir = join(top, `RPMS-${s.name}`);
    await run('rpmbuild', ['--define', `_topdir ${top}`, '--define', `_rpmdir ${rpmsDir}`, '-bb', specFile]);
    const listing = await run('find', [rpmsDir, '-name', '*.rpm']);
    for (const path of listing.split('\n').filter(Boolean)) {
      const name = (await run('rpm', ['-qp', '--qf', '%{NAME}', path])).trim();
      out[name === s.name.split('-')[0] ? s.name : name] = path;
    }
  }
  return out;
}

function sqliteBlobs(content: Buffer): Array<{ hnum: number; blob: Buffer }> {
  const copy = Buffer.from(content);
  copy[18] = 1;
  copy[19] = 1;
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as Array<{ hnum: number; blob: Buffer }>;
  } finally {
    db.close();
  }
}

/** A real Berkeley DB hash file; small pages and fill factor 1 force overflow chains and several buckets. */
async function writeBdb(blobs: Array<{ hnum: number; blob: Buffer }>, target: string, workDir: string): Promise<void> {
  const key = (n: number): string => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b.toString('hex');
  };
  const maxHnum = Math.max(0, ...blobs.map((b) => b.hnum));
  const lines = ['VERSION=3', 'format=bytevalue', 'type=hash', 'db_pagesize=512', 'h_ffactor=1', 'HEADER=END'];
  lines.push(` ${key(0)}`, ` ${key(maxHnum + 1)}`);
  for (const { hnum, blob } of blobs) lines.push(` ${key(hnum)}`, ` ${blob.toString('hex')}`);
  lines.push('DATA=END', '');
  const dump = join(workDir, 'bdb-dump.txt');
  await writeFile(dump, lines.join('\n'));
  await mkdir(dirname(target), { recursive: true });
  await run('db5.3_load', ['-f', dump, target]);
}

/** ndb Packages.db as rpm's rpmpkg.c lays it out: one slot page, then 16-byte-block blobs. */
export function writeNdb(blobs: Array<{ hnum: number; blob: Buffer }>): Buffer {
  const page = Buffer.alloc(4096);
  const parts: Buffer[] = [page];
  page.write('RpmP', 0, 'latin1');
  page.writeUInt32LE(0, 4);
  page.writeUInt32LE(blobs.length + 1, 8);
  page.writeUInt32LE(1, 12);
  page.writeUInt32LE(Math.max(0, ...blobs.map((b) => b.hnum)) + 1, 16);
  for (let at = 32; at < 4096; at += 16) page.write('Slot', at, 'latin1');
  let blkoff = 4096 / 16;
  for (const [i, { hnum, blob }] of blobs.entries()) {
    const blkcnt = Math.ceil((16 + blob.length + 12) / 16);
    const slot = 32 + i * 16;
    page.writeUInt32LE(hnum, slot + 4);
    page.writeUInt32LE(blkoff, slot + 8);
    page.writeUInt32LE(blkcnt, slot + 12);
    const out = Buffer.alloc(blkcnt * 16);
    out.write('BlbS', 0, 'latin1');
    out.writeUInt32LE(hnum, 4);
    out.writeUInt32LE(1_700_000_000, 8);
    out.writeUInt32LE(blob.length, 12);
    blob.copy(out, 16);
    const tail = out.length - 12;
    out.writeUInt32LE(adler32(out.subarray(0, tail)), tail);
    out.writeUInt32LE(blob.length, tail + 4);
    out.write('BlbE', tail + 8, 'latin1');
    parts.push(out);
    blkoff += blkcnt;
  }
  return Buffer.concat(parts);
}

/** Independent of the detector's copy on purpose: a shared bug would otherwise cancel out. */
function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

async function queryAll(root: string, extra: string[]): Promise<OracleRow[]> {
  const out = await run('rpm', ['--root', root, ...RPM_ARGS, ...extra, '-qa', '--qf', ORACLE_QF]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', epoch = '', version = '', release = '', arch = '', sourceRpm = '', license = '', vendor = ''] = line.split('|');
      return { name, epoch, version, release, arch, sourceRpm, license, vendor };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function listFiles(root: string, name: string): Promise<string[]> {
  const out = await run('rpm', ['--root', root, ...RPM_ARGS, '-ql', name]);
  return out.split('\n').filter((l) => l.startsWith('/')).sort();
}

async function copyInto(from: string | undefined, to: string, content?: Buffer): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  if (from) await copyFile(from, to);
  else await writeFile(to, content ?? Buffer.alloc(0));
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Whether the tools the fixtures need are installed; a reason string when not. */
export async function missingRpmTools(): Promise<string | undefined> {
  for (const tool of ['rpm', 'rpmbuild', 'db5.3_load']) {
    try {
      await run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `${tool} is not installed (apt-get install -y rpm db5.3-util)`;
    }
  }
  return undefined;
}

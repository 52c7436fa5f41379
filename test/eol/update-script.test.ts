import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SHIPPED_EOL_DIR, diffTables, parseEolFile } from '../../src/modules/eol/index.js';

const SCRIPT = resolve('scripts/update-eol-data.ts');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A package directory whose ubuntu.csv moves jammy's ESM date and adds a release; debian.csv as shipped. */
function fixture(): { from: string; to: string } {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-eol-update-'));
  const from = join(root, 'from');
  const to = join(root, 'to');
  mkdirSync(from);
  mkdirSync(to);
  for (const name of ['debian.csv', 'ubuntu.csv', 'distro-info.json', 'README.md']) copyFileSync(join(SHIPPED_EOL_DIR, name), join(to, name));
  copyFileSync(join(SHIPPED_EOL_DIR, 'debian.csv'), join(from, 'debian.csv'));
  const ubuntu = readFileSync(join(SHIPPED_EOL_DIR, 'ubuntu.csv'), 'utf8');
  const moved = ubuntu.replace('2027-06-01,2027-06-01,2032-04-21', '2027-06-01,2027-06-01,2033-04-21');
  assert.notEqual(moved, ubuntu);
  writeFileSync(join(from, 'ubuntu.csv'), `${moved.trimEnd()}\n27.04,Test Tapir,tapir,2026-10-15,2027-04-15,2028-01-15\n`);
  return { from, to };
}

describe('scripts/update-eol-data.ts', () => {
  it('copies changed files verbatim, records the version and prints the changes', () => {
    const { from, to } = fixture();
    const r = run(['--from', from, '--to', to, '--version', '9.9-test']);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.split('\n');
    assert.ok(out.includes('debian.csv: unchanged'), r.stdout);
    assert.ok(out.some((l) => /^ubuntu: changed 22\.04 LTS \(Jammy Jellyfish\): .*extended 2032-04-21 -> .*extended 2033-04-21$/.test(l)), r.stdout);
    assert.ok(out.some((l) => /^ubuntu: added 27\.04 \(Test Tapir\): released 2027-04-15, eol 2028-01-15/.test(l)), r.stdout);
    assert.ok(readFileSync(join(to, 'ubuntu.csv')).equals(readFileSync(join(from, 'ubuntu.csv'))));
    const manifest = JSON.parse(readFileSync(join(to, 'distro-info.json'), 'utf8')) as { version: string; taken: string };
    assert.equal(manifest.version, '9.9-test');
    assert.match(readFileSync(join(to, 'README.md'), 'utf8'), new RegExp(`\`distro-info-data\` \\*\\*9\\.9-test\\*\\*.*copied ${manifest.taken}`));
  });

  it('--dry-run prints the same changes and writes nothing', () => {
    const { from, to } = fixture();
    const before = readFileSync(join(to, 'ubuntu.csv'));
    const r = run(['--from', from, '--to', to, '--version', '9.9-test', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ubuntu: added 27\.04/);
    assert.ok(readFileSync(join(to, 'ubuntu.csv')).equals(before));
    assert.doesNotMatch(readFileSync(join(to, 'distro-info.json'), 'utf8'), /9\.9-test/);
  });

  it('refuses a malformed package file with one line and copies nothing', () => {
    const { from, to } = fixture();
    // ubuntu.csv (read second) is bad while debian.csv has a real change: neither may be copied.
    writeFileSync(join(from, 'debian.csv'), `${readFileSync(join(to, 'debian.csv'), 'utf8')}16,Test,test,2027-08-01\n`);
    writeFileSync(join(from, 'ubuntu.csv'), 'version,codename,series,created,release,eol\n10,Buster,buster,2017-06-17,2019-07-06,2022-9-10\n');
    const before = readFileSync(join(to, 'debian.csv'));
    const ubuntuBefore = readFileSync(join(to, 'ubuntu.csv'));
    const r = run(['--from', from, '--to', to, '--version', '9.9-test']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`^update-eol-data: error: ${join(from, 'ubuntu.csv')}:2: column eol "2022-9-10"`));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.ok(readFileSync(join(to, 'debian.csv')).equals(before));
    assert.ok(readFileSync(join(to, 'ubuntu.csv')).equals(ubuntuBefore));
    assert.equal(r.stdout, '');
  });
});

describe('diffTables', () => {
  it('lists added, changed and removed releases', () => {
    const head = '# source: https://example.test\n# taken: 2026-01-01\nversion,release,eol,extended\n';
    const before = parseEolFile(`${head}1,,2020-01-01,\n2,,2021-01-01,\n`, 'x.csv');
    const after = parseEolFile(`${head}2,,2021-02-01,\n3,,,\n`, 'x.csv');
    assert.deepEqual(diffTables(before, after), [
      'x: changed 2: released -, eol 2021-01-01, extended - -> released -, eol 2021-02-01, extended -',
      'x: added 3: released -, eol -, extended -',
      'x: removed 1',
    ]);
    assert.deepEqual(diffTables(after, after), []);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isBulwarkError } from '../../src/core/errors.js';
import { EOL_DATA_ENV, SHIPPED_EOL_DIR, eolStatus, loadEolData, loadEolDir, parseEolFile } from '../../src/modules/eol/index.js';

const HEAD = '# source: https://example.test/releases\n# taken: 2026-01-02\nversion,release,eol,extended\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bulwark-eol-'));
}

/** The error parseEolFile throws for `text`, checked to be a one-line E_FORMAT error. */
function formatError(text: string, file = 'data/alpine.csv'): string {
  try {
    parseEolFile(text, file);
  } catch (e) {
    assert.ok(isBulwarkError(e), `not a BulwarkError: ${String(e)}`);
    assert.equal(e.code, 'E_FORMAT');
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail('no error');
}

describe('shipped data', () => {
  it('every shipped file parses and states its source', () => {
    const tables = loadEolDir(SHIPPED_EOL_DIR);
    assert.deepEqual([...tables.keys()].sort(), ['almalinux', 'alpine', 'amzn', 'containerd', 'debian', 'docker-engine', 'rhel', 'rocky', 'ubuntu']);
    for (const t of tables.values()) {
      assert.ok(t.releases.length > 0, t.family);
      assert.ok(t.source.startsWith(`${t.family}.csv (`), t.source);
      for (const r of t.releases) if (r.eol && r.released) assert.ok(r.released < r.eol, `${t.family} ${r.label}`);
    }
  });

  it('debian.csv and ubuntu.csv are byte-identical to the installed distro-info-data of the recorded version', (t) => {
    const manifest = JSON.parse(readFileSync(join(SHIPPED_EOL_DIR, 'distro-info.json'), 'utf8')) as { version: string };
    let installed = '';
    try {
      installed = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'distro-info-data'], { encoding: 'utf8' });
    } catch {
      // not a Debian system, or the package is absent
    }
    if (installed !== manifest.version) {
      t.skip(`distro-info-data ${installed || 'not installed'}, the files are from ${manifest.version}`);
      return;
    }
    for (const name of ['debian.csv', 'ubuntu.csv']) {
      assert.ok(readFileSync(join(SHIPPED_EOL_DIR, name)).equals(readFileSync(join('/usr/share/distro-info', name))), name);
    }
  });
});

describe('malformed tables fail with one line naming file and line', () => {
  it('an impossible date', () => {
    assert.match(formatError(`${HEAD}3.19,2023-12-07,2025-11-01,\n3.18,2023-02-30,2025-05-09,\n`), /^data\/alpine\.csv:5: column release "2023-02-30": not a calendar date$/);
  });
  it('a date in another format', () => {
    assert.match(formatError(`${HEAD}3.19,2023-12-07,01/11/2025,\n`), /^data\/alpine\.csv:4: column eol "01\/11\/2025": expected a date YYYY-MM-DD/);
  });
  it('more fields than the header', () => {
    assert.match(formatError(`${HEAD}\n3.19,2023-12-07,2025-11-01,,extra\n`), /^data\/alpine\.csv:5: 5 fields, the header has 4$/);
  });
  it('a quoted field', () => {
    assert.match(formatError(`${HEAD}"3.19",2023-12-07,2025-11-01,\n`), /^data\/alpine\.csv:4: quoted fields are not supported$/);
  });
  it('a version that is not numeric', () => {
    assert.match(formatError(`${HEAD}edge,,,\n`), /^data\/alpine\.csv:4: column version "edge"/);
  });
  it('a version listed twice', () => {
    assert.match(formatError(`${HEAD}3.19,,2025-11-01,\n3.19,,2025-11-02,\n`), /^data\/alpine\.csv:5: version 3\.19 listed twice$/);
  });
  it('a header missing a column', () => {
    assert.match(formatError('# source: x\n# taken: 2026-01-01\nversion,release,eol\n3.19,,\n'), /^data\/alpine\.csv:3: header lacks column\(s\) extended$/);
  });
  it('no source or taken date', () => {
    assert.match(formatError('# taken: 2026-01-01\nversion,release,eol,extended\n'), /^data\/alpine\.csv:2: no "# source:" line/);
    assert.match(formatError('# source: x\nversion,release,eol,extended\n'), /^data\/alpine\.csv:2: no "# taken: YYYY-MM-DD" line/);
  });
  it('an empty file', () => {
    assert.match(formatError(''), /^data\/alpine\.csv:1: no header line$/);
  });
  it('a distro-info row with a bad date', () => {
    const text = 'version,codename,series,created,release,eol,eol-lts,eol-elts\n10,Buster,buster,2017-06-17,2019-07-06,2022-09-31\n';
    assert.match(formatError(text, 'x/debian.csv'), /^x\/debian\.csv:2: column eol "2022-09-31": not a calendar date$/);
  });
  it('loading a directory names the full path of the bad file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'alpine.csv'), `${HEAD}3.19,2023-12-07,2025-13-01,\n`);
    assert.throws(() => loadEolData(dir), (e: unknown) => isBulwarkError(e) && e.message.startsWith(`${join(dir, 'alpine.csv')}:4: `) && !e.message.includes('\n'));
  });
  it('a missing directory is one input error', () => {
    assert.throws(() => loadEolData(join(tempDir(), 'nope')), (e: unknown) => isBulwarkError(e) && e.code === 'E_INPUT' && /cannot be read/.test(e.message));
  });
});

describe('an updated data directory overrides the shipped tables', () => {
  const saved = process.env[EOL_DATA_ENV];
  after(() => {
    if (saved === undefined) delete process.env[EOL_DATA_ENV];
    else process.env[EOL_DATA_ENV] = saved;
  });

  function updatedDir(): string {
    const dir = tempDir();
    writeFileSync(join(dir, 'alpine.csv'), `${HEAD}3.25,2026-11-20,2028-11-01,\n`);
    writeFileSync(join(dir, 'fedora.csv'), `${HEAD}43,2025-10-28,2026-12-09,\n`);
    // An updated distro-info file: buster's end moved, to prove the override is what is read.
    const debian = readFileSync(join(SHIPPED_EOL_DIR, 'debian.csv'), 'utf8').replace('2019-07-06,2022-09-10', '2019-07-06,2022-10-10');
    assert.ok(debian.includes('2022-10-10'));
    writeFileSync(join(dir, 'debian.csv'), debian);
    copyFileSync(join(SHIPPED_EOL_DIR, 'distro-info.json'), join(dir, 'distro-info.json'));
    return dir;
  }

  function check(data: ReturnType<typeof loadEolData>, dir: string): void {
    const now = new Date('2026-11-28T00:00:00Z');
    assert.equal(eolStatus({ family: 'alpine', version: '3.25.0' }, now, { data }).eolDate, '2028-11-01');
    // The override replaces the whole alpine table: branches it does not list are unknown.
    assert.equal(eolStatus({ family: 'alpine', version: '3.18' }, now, { data }).status, 'unknown');
    const fedora = eolStatus({ family: 'fedora', version: '43' }, now, { data });
    assert.equal(fedora.status, 'near-eol');
    assert.equal(eolStatus({ family: 'debian', version: '10' }, now, { data }).eolDate, '2022-10-10');
    assert.equal(data.get('debian')!.file, join(dir, 'debian.csv'));
    // Families the update does not carry still come from the shipped data.
    assert.equal(eolStatus({ family: 'ubuntu', version: '22.04' }, now, { data }).eolDate, '2027-06-01');
    assert.equal(data.get('ubuntu')!.file, join(SHIPPED_EOL_DIR, 'ubuntu.csv'));
  }

  it('given as a path', () => {
    const dir = updatedDir();
    check(loadEolData(dir), dir);
  });

  it(`given in ${EOL_DATA_ENV}`, () => {
    const dir = updatedDir();
    process.env[EOL_DATA_ENV] = dir;
    check(loadEolData(), dir);
    delete process.env[EOL_DATA_ENV];
    assert.equal(loadEolData().get('fedora'), undefined);
  });
});

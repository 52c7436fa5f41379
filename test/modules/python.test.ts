import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Package } from '../../src/core/package.js';
import { pythonDetector } from '../../src/modules/detector/python/index.js';
import { metadataLicenses, parseCoreMetadata } from '../../src/modules/detector/python/metadata.js';
import { parsePipfileLock } from '../../src/modules/detector/python/pipfile-lock.js';
import { parsePoetryLock } from '../../src/modules/detector/python/poetry-lock.js';
import { normalizeName, pypiPurl } from '../../src/modules/detector/python/purl.js';
import { csvFirstColumn, filesFromInstalledFiles, filesFromRecord } from '../../src/modules/detector/python/record.js';
import { parseRequirements } from '../../src/modules/detector/python/requirements.js';
import { parseUvLock } from '../../src/modules/detector/python/uv-lock.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';

const LOCKS = fileURLToPath(new URL('../fixtures/python-lockfiles/', import.meta.url));
const lock = (path: string) => readFile(join(LOCKS, path), 'utf8');
const pins = (entries: Array<{ name: string; version: string; scope?: string }>) =>
  entries.map((e) => `${e.name}@${e.version}${e.scope ? ` ${e.scope}` : ''}`).sort();

describe('python core metadata', () => {
  it('reads headers, continuation lines and repeated classifiers, and stops at the body', () => {
    const meta = parseCoreMetadata(
      Buffer.from(
        'Metadata-Version: 2.1\r\nName: Foo_Bar.baz\r\nVersion: 1.0.post1\r\nSummary: a\r\n  long summary\r\n' +
          'Classifier: License :: OSI Approved :: MIT License\r\nClassifier: Programming Language :: Python\r\n' +
          'Classifier: License :: OSI Approved :: Apache Software License\r\n\r\nName: not-a-header\r\n',
      ),
    );
    assert.equal(meta.name, 'Foo_Bar.baz');
    assert.equal(meta.version, '1.0.post1');
    assert.deepEqual(meta.fields.get('summary'), ['a\nlong summary']);
    assert.equal(meta.fields.get('classifier')?.length, 3);
    assert.deepEqual(meta.fields.get('name'), ['Foo_Bar.baz']);
    assert.deepEqual(metadataLicenses(meta), ['MIT', 'Apache Software License']);
  });
  it('prefers License-Expression, then a short License, over classifiers', () => {
    const text = (extra: string) => Buffer.from(`Name: a\nVersion: 1\n${extra}Classifier: License :: OSI Approved :: BSD License\n`);
    assert.deepEqual(metadataLicenses(parseCoreMetadata(text('License-Expression: MIT OR Apache-2.0\nLicense: MIT\n'))), ['MIT OR Apache-2.0']);
    assert.deepEqual(metadataLicenses(parseCoreMetadata(text('License: BSD-3-Clause\n'))), ['BSD-3-Clause']);
    assert.deepEqual(metadataLicenses(parseCoreMetadata(text('License: UNKNOWN\n'))), ['BSD License']);
    assert.deepEqual(metadataLicenses(parseCoreMetadata(text('License: Copyright (c) 2020\n        Permission is hereby granted\n'))), ['BSD License']);
  });
  it('rejects binary content and truncated headers', () => {
    assert.throws(() => parseCoreMetadata(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])), /binary/);
    assert.throws(() => parseCoreMetadata(Buffer.from([0x4e, 0x61, 0xff, 0xfe, 0x3a])), /UTF-8/);
    assert.throws(() => parseCoreMetadata(Buffer.from('Metadata-Version: 2.1\nName: cut\nVers')), /no Version field.*line 3/);
    assert.throws(() => parseCoreMetadata(Buffer.from('')), /no Name field/);
  });
  it('normalizes names per PEP 503 in purls', () => {
    assert.equal(normalizeName('Foo__Bar.-baz'), 'foo-bar-baz');
    assert.equal(pypiPurl('PyYAML', '6.0'), 'pkg:pypi/pyyaml@6.0');
    assert.equal(pypiPurl('zope.interface', '6.2'), 'pkg:pypi/zope-interface@6.2');
  });
});

describe('python file lists', () => {
  it('reads RECORD as CSV, quoted paths included, relative to site-packages', () => {
    const record = 'six.py,sha256=abc,34549\r\n"odd,name.py",sha256=x,1\r\n"q""uote.py",,\r\n../../../bin/tool,sha256=y,200\r\nsix-1.16.0.dist-info/RECORD,,\r\n';
    assert.deepEqual(csvFirstColumn(record), ['six.py', 'odd,name.py', 'q"uote.py', '../../../bin/tool', 'six-1.16.0.dist-info/RECORD']);
    assert.deepEqual(filesFromRecord(record, '/opt/venv/lib/python3.11/site-packages'), [
      '/opt/venv/bin/tool',
      '/opt/venv/lib/python3.11/site-packages/odd,name.py',
      '/opt/venv/lib/python3.11/site-packages/q"uote.py',
      '/opt/venv/lib/python3.11/site-packages/six-1.16.0.dist-info/RECORD',
      '/opt/venv/lib/python3.11/site-packages/six.py',
    ]);
  });
  it('reads installed-files.txt relative to the egg-info directory', () => {
    const egg = '/usr/lib/python3/dist-packages/foo-1.0.egg-info';
    assert.deepEqual(filesFromInstalledFiles('../foo/__init__.py\nPKG-INFO\n\n', egg), [
      '/usr/lib/python3/dist-packages/foo-1.0.egg-info/PKG-INFO',
      '/usr/lib/python3/dist-packages/foo/__init__.py',
    ]);
  });
});

describe('python lockfile parsers', () => {
  it('poetry.lock 1.x: category main/dev, optional extras', async () => {
    assert.deepEqual(pins(parsePoetryLock(await lock('poetry-1.4/poetry.lock'))), [
      'certifi@2023.5.7 prod', 'charset-normalizer@3.1.0 prod', 'colorama@0.4.6 dev', 'idna@3.4 prod',
      'pytest@7.3.1 dev', 'requests@2.31.0 prod', 'ujson@5.7.0 optional', 'urllib3@2.0.2 prod',
    ]);
  });
  it('poetry.lock 2.1: groups', async () => {
    assert.deepEqual(pins(parsePoetryLock(await lock('poetry-2/poetry.lock'))), [
      'anyio@4.8.0 prod', 'idna@3.10 prod', 'my-internal-lib@0.3.0 prod', 'mypy-extensions@1.0.0 dev', 'sniffio@1.3.1 prod',
    ]);
  });
  it('poetry.lock 1.5-1.8 without category or groups leaves the scope unknown', () => {
    const text = '[[package]]\nname = "six"\nversion = "1.16.0"\noptional = false\nfiles = []\n\n[metadata]\nlock-version = "2.0"\n';
    assert.deepEqual(parsePoetryLock(text), [{ name: 'six', version: '1.16.0' }]);
  });
  it('Pipfile.lock: default is prod, develop is dev, VCS entries without a version skipped', async () => {
    assert.deepEqual(pins(parsePipfileLock(await lock('pipenv/Pipfile.lock'))), [
      'blinker@1.7.0 prod', 'flask@3.0.2 prod', 'iniconfig@2.0.0 dev', 'jinja2@3.1.3 prod', 'markupsafe@2.1.5 prod',
      'pytest-cov@4.1.0 dev', 'pytest@8.0.2 dev', 'werkzeug@3.0.1 prod',
    ]);
  });
  it('uv.lock: scope from the project root, the project itself skipped', async () => {
    assert.deepEqual(pins(parseUvLock(await lock('uv/uv.lock'))), [
      'anyio@4.8.0 prod', 'click@8.1.8 optional', 'colorama@0.4.6 optional', 'idna@3.10 prod', 'iniconfig@2.0.0 dev',
      'packaging@24.2 dev', 'pluggy@1.5.0 dev', 'pytest@8.3.4 dev', 'sniffio@1.3.1 prod',
    ]);
  });
  it('uv.lock: a package two versions of which are locked follows the version each edge names', () => {
    const text = `version = 1
[[package]]
name = "app"
version = "1.0"
source = { virtual = "." }
dependencies = [{ name = "lib", version = "2.0", source = { registry = "https://pypi.org/simple" } }]
[package.dev-dependencies]
dev = [{ name = "lib", version = "1.0", source = { registry = "https://pypi.org/simple" } }]
[[package]]
name = "lib"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "lib"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
`;
    assert.deepEqual(pins(parseUvLock(text)), ['lib@1.0 dev', 'lib@2.0 prod']);
  });
  it('broken lockfiles throw a LockfileError', () => {
    assert.throws(() => parsePoetryLock('[[package]\nname = '), /not valid TOML/);
    assert.throws(() => parsePoetryLock('[[package]]\nname = "x"\n'), /not a poetry.lock: package.0.version/);
    assert.throws(() => parseUvLock('package = 3'), /not a uv.lock/);
    assert.throws(() => parsePipfileLock('{"default": '), /not valid JSON/);
    assert.throws(() => parsePipfileLock('{"default": {"a": {"version": 3}}}'), /not a Pipfile.lock/);
  });
  it('requirements: only exact pins, with extras, markers, hashes, continuations and comments', async () => {
    const parsed = parseRequirements(await lock('requirements/requirements.txt'));
    assert.deepEqual(pins(parsed.entries), [
      'Django@4.2.11', 'celery@5.3.6', 'cryptography@42.0.5', 'gunicorn@21.2.0', 'psycopg2-binary@2.9.9', 'uvicorn@0.27.1', 'zope.interface@6.2',
    ]);
    assert.deepEqual(parsed.includes, ['requirements/base.txt']);
    assert.deepEqual(parseRequirements('--requirement=a.txt\n-r  b.txt\n#x==1\nfoo==1.0#frag\n').includes, ['a.txt', 'b.txt']);
  });
});

describe('python detector on directories', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bulwark-python-'));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const key = (p: Package) => `${p.name}@${p.version} ${p.scope ?? '-'} ${p.location}`;

  it('reads every lockfile kind, follows -r includes once, and notes what it could not read', async () => {
    const result = await scanDirectory(LOCKS, { detectors: [pythonDetector] });
    const req = `/requirements`;
    const found = result.packages.map(key).sort();
    for (const expected of [
      `Django@4.2.11 - ${req}/requirements.txt`,
      `requests@2.31.0 - ${req}/requirements/base.txt`,
      `urllib3@2.2.1 - ${req}/requirements/base.txt`,
      `pytest@8.0.2 - ${req}/requirements-dev.txt`,
      `Black@24.2.0 - ${req}/requirements-dev.txt`,
      `flask@3.0.2 prod /pipenv/Pipfile.lock`,
      `pytest-cov@4.1.0 dev /pipenv/Pipfile.lock`,
      `anyio@4.8.0 prod /uv/uv.lock`,
      `anyio@4.8.0 prod /poetry-2/poetry.lock`,
      `colorama@0.4.6 dev /poetry-1.4/poetry.lock`,
    ]) {
      assert.ok(found.includes(expected), `missing ${expected}`);
    }
    assert.equal(found.length, new Set(found).size, 'a package was reported twice from the same file');
    assert.equal(found.length, 7 + 2 + 2 + 8 + 9 + 8 + 5);
    const black = result.packages.find((p) => p.name === 'Black')!;
    assert.equal(black.purl, 'pkg:pypi/black@24.2.0');
    assert.equal(black.evidence, 'lockfile');
    assert.ok(result.notices.some((n) => n.level === 'info' && n.message.includes('requirements-missing.txt')), JSON.stringify(result.notices));
  });

  it('reads installed dist-info and egg-info in a venv, with RECORD files, and warns on broken metadata', async () => {
    const site = join(work, 'venv/lib/python3.12/site-packages');
    /** Paths as the scan reports them: inside the scanned root. */
    const inRoot = (path: string) => path.slice(work.length);
    await mkdir(join(site, 'Foo_Bar-1.0.dist-info'), { recursive: true });
    await mkdir(join(site, 'old-0.9.egg-info'), { recursive: true });
    await mkdir(join(site, 'broken-1.0.dist-info'), { recursive: true });
    await mkdir(join(site, 'foo_bar'), { recursive: true });
    await writeFile(join(site, 'foo_bar/__init__.py'), '');
    await writeFile(join(site, 'Foo_Bar-1.0.dist-info/METADATA'), 'Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense-Expression: MIT\n\nbody\n');
    await writeFile(join(site, 'Foo_Bar-1.0.dist-info/RECORD'), 'foo_bar/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nFoo_Bar-1.0.dist-info/METADATA,,\n../../../bin/foo,,\n');
    await writeFile(join(site, 'old-0.9.egg-info/PKG-INFO'), 'Metadata-Version: 1.1\nName: old\nVersion: 0.9\nLicense: BSD\n');
    await writeFile(join(site, 'old-0.9.egg-info/installed-files.txt'), '../old.py\nPKG-INFO\n');
    await writeFile(join(site, 'single-2.0.egg-info'), 'Metadata-Version: 1.0\nName: single\nVersion: 2.0\n');
    await writeFile(join(site, 'broken-1.0.dist-info/METADATA'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    await mkdir(join(site, 'Egged-3.1-py3.12.egg/EGG-INFO'), { recursive: true });
    await mkdir(join(site, 'Egged-3.1-py3.12.egg/egged'), { recursive: true });
    await writeFile(join(site, 'Egged-3.1-py3.12.egg/EGG-INFO/PKG-INFO'), 'Metadata-Version: 1.2\nName: Egged\nVersion: 3.1\n');
    await writeFile(join(site, 'Egged-3.1-py3.12.egg/egged/__init__.py'), '');
    await writeFile(join(work, 'requirements.txt'), 'foo-bar==1.0\n');
    // Lockfiles inside installed trees belong to the installed packages, not to the project.
    await writeFile(join(site, 'foo_bar/requirements.txt'), 'ignored==1.0\n');

    const result = await scanDirectory(work, { detectors: [pythonDetector] });
    const byName = new Map(result.packages.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ['Egged', 'Foo_Bar', 'foo-bar', 'old', 'single']);
    const egg = inRoot(join(site, 'Egged-3.1-py3.12.egg'));
    assert.deepEqual(byName.get('Egged')!.files, [`${egg}/EGG-INFO/PKG-INFO`, `${egg}/egged/__init__.py`]);
    const foo = byName.get('Foo_Bar')!;
    assert.equal(foo.purl, 'pkg:pypi/foo-bar@1.0');
    assert.equal(foo.location, inRoot(join(site, 'Foo_Bar-1.0.dist-info/METADATA')));
    assert.equal(foo.evidence, 'installed');
    assert.deepEqual(foo.licenses, ['MIT']);
    assert.deepEqual(foo.files, ['/venv/bin/foo', inRoot(join(site, 'Foo_Bar-1.0.dist-info/METADATA')), inRoot(join(site, 'foo_bar/__init__.py'))]);
    assert.deepEqual(byName.get('old')!.files, [inRoot(join(site, 'old-0.9.egg-info/PKG-INFO')), inRoot(join(site, 'old.py'))]);
    assert.deepEqual(byName.get('old')!.licenses, ['BSD']);
    assert.equal(byName.get('single')!.location, inRoot(join(site, 'single-2.0.egg-info')));
    assert.equal(byName.get('foo-bar')!.evidence, 'lockfile');
    const warnings = result.notices.filter((n) => n.level === 'warning');
    assert.equal(warnings.length, 1, JSON.stringify(result.notices));
    assert.equal(warnings[0]!.detector, 'python');
    assert.match(warnings[0]!.message, new RegExp(`^${inRoot(join(site, 'broken-1.0.dist-info/METADATA'))}: binary`));
  });

  it('warns on a broken lockfile and still reads the others', async () => {
    const dir = join(work, 'broken-locks');
    await mkdir(join(dir, 'a'), { recursive: true });
    await writeFile(join(dir, 'a/poetry.lock'), '[[package]]\nname = "x"\nversion = ');
    await writeFile(join(dir, 'Pipfile.lock'), '{"default": {"six": {"version": "==1.16.0"}}, "develop": ');
    await writeFile(join(dir, 'uv.lock'), 'version = 1\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n');
    const result = await scanDirectory(dir, { detectors: [pythonDetector] });
    assert.deepEqual(result.packages.map(key), ['six@1.16.0 - /uv.lock']);
    const messages = result.notices.filter((n) => n.level === 'warning').map((n) => n.message).sort();
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /^\/Pipfile.lock: not valid JSON/);
    assert.match(messages[1]!, /^\/a\/poetry.lock: not valid TOML/);
  });
});

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Package } from '../../src/core/package.js';
import { npmDetector } from '../../src/modules/detector/npm/index.js';
import { declaredLicenses } from '../../src/modules/detector/npm/licenses.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { viewFromDirs } from '../support/dir-view.js';

const LOCKFILES = fileURLToPath(new URL('../fixtures/npm-lockfiles/', import.meta.url));
let root: string;

async function put(rel: string, content: string | object): Promise<void> {
  await mkdir(join(root, dirname(rel)), { recursive: true });
  await writeFile(join(root, rel), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

const row = (p: Package) => `${p.name}@${p.version} ${p.location} ${p.scope ?? '-'} ${p.evidence} ${p.licenses.join('|')}`;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'bulwark-npm-'));
  await put('app/package.json', { name: 'app', version: '1.0.0', dependencies: { a: '^1.0.0', e: '5.0.0' } });
  await put('app/package-lock.json', {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/e': { version: '5.0.0', license: 'BSD-3-Clause' },
    },
  });
  await put('app/node_modules/.package-lock.json', {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      'node_modules/a': { version: '1.0.0' },
      'node_modules/a/node_modules/c': { version: '2.0.0' },
      'node_modules/@s/b': { version: '0.1.0', dev: true },
      'node_modules/c': { version: '1.0.0', optional: true },
    },
  });
  await put('app/node_modules/a/package.json', { name: 'a', version: '1.0.0', license: 'MIT' });
  await put('app/node_modules/a/node_modules/c/package.json', { name: 'c', version: '2.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] });
  await put('app/node_modules/@s/b/package.json', { name: '@s/b', version: '0.1.0', license: { type: 'ISC' } });
  await put('app/node_modules/c/package.json', { name: 'c', version: '1.0.0', license: '(MIT OR Apache-2.0)' });
  await put('app/node_modules/a/test/fixtures/package.json', { name: 'fake', version: '9.9.9' });
  await put('app/node_modules/nover/package.json', { name: 'nover' });
  await put('app/node_modules/broken/package.json', '{"name": "broken", "version": ');
  await put('usr/share/nodejs/debpkg/package.json', { name: 'debpkg', version: '3.0.0', license: 'Expat' });
  await mkdir(join(root, 'other'), { recursive: true });
  await copyFile(join(LOCKFILES, 'yarn1/yarn.lock'), join(root, 'other/yarn.lock'));
  await copyFile(join(LOCKFILES, 'yarn1/package.json'), join(root, 'other/package.json'));
  await put('bad/pnpm-lock.yaml', 'lockfileVersion: [unclosed\n');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('installed npm packages', () => {
  it('image: every node_modules package root, with hidden-lockfile scopes; lockfiles ignored; broken file warned', async () => {
    const fs = viewFromDirs([root], npmDetector.wants, ['COPY . /']);
    const result = await npmDetector.detect({ fs, target: 'image', inspections: [] });
    assert.deepEqual((result.packages ?? []).map(row).sort(), [
      '@s/b@0.1.0 /app/node_modules/@s/b/package.json dev installed ISC',
      'a@1.0.0 /app/node_modules/a/package.json prod installed MIT',
      'c@1.0.0 /app/node_modules/c/package.json optional installed (MIT OR Apache-2.0)',
      'c@2.0.0 /app/node_modules/a/node_modules/c/package.json prod installed MIT|Apache-2.0',
      'debpkg@3.0.0 /usr/share/nodejs/debpkg/package.json - installed Expat',
    ]);
    assert.equal(result.notices?.length, 1);
    assert.equal(result.notices![0]!.level, 'warning');
    assert.equal(result.notices![0]!.detector, 'npm');
    assert.match(result.notices![0]!.message, /^\/app\/node_modules\/broken\/package\.json: invalid JSON/);
    const b = result.packages!.find((p) => p.name === '@s/b')!;
    assert.equal(b.purl, 'pkg:npm/%40s/b@0.1.0');
    assert.equal(b.type, 'npm');
    assert.equal(b.layer?.index, 0);
    assert.equal(b.layer?.createdBy, 'COPY . /');
  });

  it('directory: lockfiles too, without repeating what node_modules holds; broken lockfile warned', async () => {
    const result = await scanDirectory(root, { detectors: [npmDetector] });
    const pkgs = result.packages.filter((p) => p.type === 'npm');
    const fromAppLock = pkgs.filter((p) => p.location === '/app/package-lock.json').map(row);
    assert.deepEqual(fromAppLock, ['e@5.0.0 /app/package-lock.json prod lockfile BSD-3-Clause']);
    const yarn = pkgs.filter((p) => p.location === '/other/yarn.lock');
    assert.ok(yarn.length > 80, `yarn.lock packages: ${yarn.length}`);
    assert.ok(yarn.some((p) => p.name === 'express' && p.scope === 'prod' && p.evidence === 'lockfile'));
    assert.ok(yarn.some((p) => p.name === 'debug' && p.version === '4.3.4' && p.scope === 'dev'));
    assert.equal(pkgs.filter((p) => p.evidence === 'installed').length, 5);
    const warnings = result.notices.filter((n) => n.detector === 'npm').map((n) => n.message);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.ok(warnings.some((m) => m.startsWith('/bad/pnpm-lock.yaml: ')));
    assert.ok(warnings.some((m) => m.startsWith('/app/node_modules/broken/package.json: invalid JSON')));
  });

  it('wants: package roots only', () => {
    assert.ok(npmDetector.wants('app/node_modules/a/package.json'));
    assert.ok(npmDetector.wants('node_modules/@s/b/package.json'));
    assert.ok(npmDetector.wants('usr/lib/nodejs/x/package.json'));
    assert.ok(npmDetector.wants('app/node_modules/.package-lock.json'));
    assert.ok(!npmDetector.wants('app/node_modules/a/lib/package.json'));
    assert.ok(!npmDetector.wants('app/node_modules/.bin/package.json'));
    assert.ok(!npmDetector.wants('app/node_modules/a/package-lock.json'));
  });

  it('licenses as package.json writes them', () => {
    assert.deepEqual(declaredLicenses('MIT', undefined), ['MIT']);
    assert.deepEqual(declaredLicenses({ type: 'BSD' }, undefined), ['BSD']);
    assert.deepEqual(declaredLicenses(undefined, [{ type: 'MIT' }, 'GPL-2.0', { url: 'x' }]), ['MIT', 'GPL-2.0']);
    assert.deepEqual(declaredLicenses(42, null), []);
  });
});

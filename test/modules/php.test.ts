import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { phpDetector } from '../../src/modules/detector/php/index.js';
import { parseComposerLock, parseInstalledJson } from '../../src/modules/detector/php/parse.js';
import type { DetectorResult } from '../../src/modules/detector/types.js';
import { viewFromDirs } from '../support/dir-view.js';

const FILES = fileURLToPath(new URL('../fixtures/php-files/', import.meta.url));
const file = (name: string) => readFileSync(join(FILES, name), 'utf8');

describe('composer metadata', () => {
  it('reads composer 1 installed.json (an array)', () => {
    assert.deepEqual(parseInstalledJson(file('installed-v1.json')), [
      { name: 'psr/log', version: '1.1.4', licenses: ['MIT'], dev: false },
      { name: 'monolog/monolog', version: '1.27.1', licenses: ['MIT'], dev: false },
      { name: 'symfony/polyfill-ctype', version: 'v1.19.0', licenses: ['MIT'], dev: false },
    ]);
  });
  it('reads composer 2 installed.json, dev packages named by dev-package-names', () => {
    const text = JSON.stringify({
      packages: [
        { name: 'acme/http', version: '2.0.1', license: ['MIT', 'BSD-3-Clause'] },
        { name: 'acme/testkit', version: '0.3.0', license: 'BSD-3-Clause' },
      ],
      dev: true,
      'dev-package-names': ['acme/testkit'],
    });
    assert.deepEqual(parseInstalledJson(text), [
      { name: 'acme/http', version: '2.0.1', licenses: ['MIT', 'BSD-3-Clause'], dev: false },
      { name: 'acme/testkit', version: '0.3.0', licenses: ['BSD-3-Clause'], dev: true },
    ]);
  });
  it('reads composer.lock packages and packages-dev', () => {
    const text = JSON.stringify({ 'content-hash': 'x', packages: [{ name: 'a/b', version: '1.0.0' }], 'packages-dev': [{ name: 'c/d', version: '2.0.0', license: ['MIT'] }] });
    assert.deepEqual(parseComposerLock(text), [
      { name: 'a/b', version: '1.0.0', licenses: [], dev: false },
      { name: 'c/d', version: '2.0.0', licenses: ['MIT'], dev: true },
    ]);
  });
  it('explains broken or foreign JSON', () => {
    assert.match(parseInstalledJson(file('broken-installed.json')) as string, /^not valid JSON/);
    assert.match(parseInstalledJson('{"packages": [{"name": 1}]}') as string, /^unexpected content: packages/);
    assert.match(parseComposerLock('{"name": "some/project"}') as string, /no "packages" list/);
  });
});

describe('php detector', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'bulwark-php-'));
    await mkdir(join(root, 'var/www/vendor/composer'), { recursive: true });
    await mkdir(join(root, 'srv/broken/vendor/composer'), { recursive: true });
    await copyFile(join(FILES, 'installed-v1.json'), join(root, 'var/www/vendor/composer/installed.json'));
    await copyFile(join(FILES, 'broken-installed.json'), join(root, 'srv/broken/vendor/composer/installed.json'));
    await copyFile(join(FILES, '../php-app/composer.json'), join(root, 'var/www/composer.json'));
    const lock = JSON.stringify({ packages: [{ name: 'psr/log', version: '1.1.4' }], 'packages-dev': [] });
    await import('node:fs/promises').then((fs) => fs.writeFile(join(root, 'var/www/composer.lock'), lock));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const run = (target: 'image' | 'directory') => phpDetector.detect({ fs: viewFromDirs([root], phpDetector.wants), target, inspections: [] }) as DetectorResult;

  it('reports installed.json packages with composer purls, warns on the broken one, reads composer.lock only in directories', () => {
    const image = run('image');
    assert.deepEqual(image.packages!.map((p) => [p.purl, p.evidence, p.scope, p.location]), [
      ['pkg:composer/psr/log@1.1.4', 'installed', 'prod', '/var/www/vendor/composer/installed.json'],
      ['pkg:composer/monolog/monolog@1.27.1', 'installed', 'prod', '/var/www/vendor/composer/installed.json'],
      ['pkg:composer/symfony/polyfill-ctype@v1.19.0', 'installed', 'prod', '/var/www/vendor/composer/installed.json'],
    ]);
    assert.deepEqual(image.notices!.map((n) => [n.detector, n.message.split(':')[0]]), [['php', '/srv/broken/vendor/composer/installed.json']]);
    const dir = run('directory');
    assert.deepEqual(dir.packages!.filter((p) => p.evidence === 'lockfile').map((p) => [p.purl, p.location]), [['pkg:composer/psr/log@1.1.4', '/var/www/composer.lock']]);
  });
});

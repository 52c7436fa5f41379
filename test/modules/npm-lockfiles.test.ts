import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { mergeEntries } from '../../src/modules/detector/npm/lockfiles.js';
import { parsePackageLock } from '../../src/modules/detector/npm/package-lock.js';
import { parsePnpmKey, parsePnpmLock } from '../../src/modules/detector/npm/pnpm.js';
import { parseProjectManifest } from '../../src/modules/detector/npm/project-manifest.js';
import type { NpmEntry } from '../../src/modules/detector/npm/to-package.js';
import { parseYarnClassic } from '../../src/modules/detector/npm/yarn-classic.js';
import { parseYarnLock } from '../../src/modules/detector/npm/yarn.js';
import { flattenNames, npmLsLockfile } from '../support/npm-fixtures.js';

// Lockfiles written by the real tools (npm 6 / 11, yarn 1.22 and 4.5, pnpm 7 / 8 / 9) for one package.json.
const DIR = fileURLToPath(new URL('../fixtures/npm-lockfiles/', import.meta.url));
const read = (rel: string) => readFileSync(join(DIR, rel));
const manifest = parseProjectManifest(read('v3/package.json'));
const rows = (entries: NpmEntry[]) => new Set(mergeEntries(entries).map((e) => `${e.name}@${e.version} ${e.scope ?? '-'}`));
const names = (set: Set<string>) => new Set([...set].map((r) => r.split(' ')[0]!));

/** npm itself on the v3 lockfile: every package, and which are not dev, and which are prod. */
let all: Set<string>;
let nonDev: Set<string>;
let prod: Set<string>;
let expected: Set<string>;

before(async () => {
  const dir = join(DIR, 'v3');
  all = flattenNames(await npmLsLockfile(dir));
  nonDev = flattenNames(await npmLsLockfile(dir, ['--omit=dev']));
  prod = flattenNames(await npmLsLockfile(dir, ['--omit=dev', '--omit=optional']));
  expected = new Set([...all].map((k) => `${k} ${prod.has(k) ? 'prod' : nonDev.has(k) ? 'optional' : 'dev'}`));
  assert.ok(all.size > 50 && prod.size > 30 && nonDev.size > prod.size && all.size > nonDev.size, 'oracle sanity');
});

describe('npm lockfiles match npm ls on the same resolution', () => {
  const formats: Array<[string, () => NpmEntry[]]> = [
    ['package-lock v1 (npm 6)', () => parsePackageLock(read('v1/package-lock.json'))],
    ['package-lock v2', () => parsePackageLock(read('v2/package-lock.json'))],
    ['package-lock v3', () => parsePackageLock(read('v3/package-lock.json'))],
    ['npm-shrinkwrap.json', () => parsePackageLock(read('shrink/npm-shrinkwrap.json'))],
    ['yarn.lock v1', () => parseYarnLock(read('yarn1/yarn.lock'), manifest)],
    ['pnpm-lock 5.4 (pnpm 7)', () => parsePnpmLock(read('pnpm7/pnpm-lock.yaml'))],
    ['pnpm-lock 6.0 (pnpm 8)', () => parsePnpmLock(read('pnpm8/pnpm-lock.yaml'))],
    ['pnpm-lock 9.0 (pnpm 9)', () => parsePnpmLock(read('pnpm9/pnpm-lock.yaml'))],
  ];
  for (const [label, parse] of formats) {
    it(`${label}: same name@version and scope as npm`, () => {
      assert.deepEqual([...rows(parse())].sort(), [...expected].sort());
    });
  }

  it('yarn berry: npm set plus node-gyp (which berry adds for fsevents), all optional', () => {
    const got = rows(parseYarnLock(read('berry/yarn.lock'), manifest));
    for (const row of expected) assert.ok(got.has(row), `berry misses ${row}`);
    const extra = [...got].filter((r) => !expected.has(r));
    assert.ok(extra.some((r) => r.startsWith('node-gyp@')), 'node-gyp expected');
    assert.ok(extra.every((r) => r.endsWith(' optional')), `extra not optional: ${extra.join(', ')}`);
    assert.ok(![...got].some((r) => r.startsWith('lockfile-fixture@')), 'the workspace itself is not a package');
  });

  it('yarn without a package.json: packages, no scope', () => {
    const got = rows(parseYarnLock(read('yarn1/yarn.lock'), undefined));
    assert.deepEqual(names(got), all);
    assert.ok([...got].every((r) => r.endsWith(' -')));
  });

  it('nested duplicates are kept at each version', () => {
    const got = names(rows(parsePackageLock(read('v3/package-lock.json'))));
    assert.ok(got.has('debug@2.6.9') && got.has('debug@4.3.4'));
    assert.ok(got.has('ms@2.0.0') && got.has('ms@2.1.2'));
  });
});

describe('lockfile syntax details', () => {
  it('pnpm keys of every lockfile version', () => {
    assert.deepEqual(parsePnpmKey('/@babel/core/7.24.7_supports-color@5.5.0', 5.4), { name: '@babel/core', version: '7.24.7' });
    assert.deepEqual(parsePnpmKey('registry.npmjs.org/lodash/4.17.21', 5.4), { name: 'lodash', version: '4.17.21' });
    assert.deepEqual(parsePnpmKey('/debug@4.3.4(supports-color@5.5.0)', 6), { name: 'debug', version: '4.3.4' });
    assert.deepEqual(parsePnpmKey('@types/node@20.1.0', 9), { name: '@types/node', version: '20.1.0' });
  });

  it('yarn classic: several specifiers, quoted names, aliases', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"@scope/a@^1.0.0", "@scope/a@^1.1.0":',
      '  version "1.2.0"',
      '  resolved "https://registry.yarnpkg.com/@scope/a/-/a-1.2.0.tgz#abc"',
      '  dependencies:',
      '    b "^2.0.0"',
      '',
      'b@^2.0.0:',
      '  version "2.0.1"',
      '',
      'alias@npm:real-pkg@^3.0.0:',
      '  version "3.1.0"',
      '',
      '"local@file:../local":',
      '  version "0.0.1"',
      '',
    ].join('\n');
    const parsed = parseYarnClassic(text);
    assert.deepEqual(parsed[0]!.specifiers, ['@scope/a@^1.0.0', '@scope/a@^1.1.0']);
    assert.deepEqual(parsed[0]!.dependencies, { b: '^2.0.0' });
    const got = parseYarnLock(Buffer.from(text), {
      dependencies: { '@scope/a': '^1.0.0' },
      devDependencies: { alias: 'npm:real-pkg@^3.0.0' },
      optionalDependencies: {},
    });
    assert.deepEqual(
      got.map((e) => `${e.name}@${e.version} ${e.scope}`),
      ['@scope/a@1.2.0 prod', 'b@2.0.1 prod', 'real-pkg@3.1.0 dev'],
    );
  });

  it('package-lock: links, workspaces and non-registry versions are not packages', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'root', version: '1.0.0' },
        'packages/ws': { name: 'ws-pkg', version: '0.1.0' },
        'node_modules/ws-pkg': { resolved: 'packages/ws', link: true },
        'node_modules/@s/x': { version: '1.0.0', license: 'MIT', optional: true },
        'node_modules/@s/x/node_modules/y': { version: '2.0.0', dev: true },
        'node_modules/aliased': { name: 'real', version: '3.0.0', devOptional: true },
        'node_modules/git-dep': { version: 'git+ssh://git@github.com/a/b.git#abc' },
      },
    };
    const got = parsePackageLock(Buffer.from(JSON.stringify(lock)));
    assert.deepEqual(
      got.map((e) => `${e.name}@${e.version} ${e.scope} ${(e.licenses ?? []).join(',')}`),
      ['@s/x@1.0.0 optional MIT', 'y@2.0.0 dev ', 'real@3.0.0 dev '],
    );
  });

  it('broken lockfiles throw a message (the detector turns it into a warning)', () => {
    assert.throws(() => parsePackageLock(Buffer.from('{"lockfileVersion": 3, "packages": {')), /invalid JSON/);
    assert.throws(() => parsePackageLock(Buffer.from('{"packages": 5}')), /unexpected structure at packages/);
    assert.throws(() => parsePnpmLock(Buffer.from('packages: {}\n')), /not a pnpm lockfile/);
    assert.throws(() => parseYarnLock(Buffer.from('  version "1"\n'), undefined), /outside an entry/);
  });
});

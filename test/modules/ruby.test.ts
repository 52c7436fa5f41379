import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseGemfileLock } from '../../src/modules/detector/ruby/gemfile-lock.js';
import { parseGemspec } from '../../src/modules/detector/ruby/gemspec.js';
import { rubyDetector } from '../../src/modules/detector/ruby/index.js';
import type { DetectorResult } from '../../src/modules/detector/types.js';
import { viewFromDirs } from '../support/dir-view.js';
import { readFileSync } from 'node:fs';

const FILES = fileURLToPath(new URL('../fixtures/ruby-files/', import.meta.url));
const file = (name: string) => readFileSync(join(FILES, name), 'utf8');

describe('gemspec', () => {
  it('reads the generated form of Debian rubygems-integration specs', () => {
    assert.deepEqual(parseGemspec(file('rack-2.2.22.gemspec')), { name: 'rack', version: '2.2.22', licenses: ['MIT'] });
    assert.deepEqual(parseGemspec(file('sinatra-3.0.5.gemspec')), { name: 'sinatra', version: '3.0.5', licenses: ['MIT'] });
  });
  it('reads other spellings: a block variable, single quotes, %q, license, several licenses', () => {
    const text = `Gem::Specification.new do |spec|\n  spec.name = 'json'\n  spec.version = %q{2.6.3}\n  spec.licenses = ["Ruby".freeze, 'BSD-2-Clause']\n  spec.add_dependency(%q<rake>.freeze, ["~> 13"])\nend\n`;
    assert.deepEqual(parseGemspec(text), { name: 'json', version: '2.6.3', licenses: ['Ruby', 'BSD-2-Clause'] });
    assert.deepEqual(parseGemspec('Gem::Specification.new do |s|\n s.name = "x"\n s.version = "1.0.0.pre"\n s.license = "MIT"\nend'), { name: 'x', version: '1.0.0.pre', licenses: ['MIT'] });
  });
  it('falls back on the stub header and rejects garbage', () => {
    assert.deepEqual(parseGemspec('# stub: bigdecimal 3.1.1 ruby lib\n'), { name: 'bigdecimal', version: '3.1.1', licenses: [] });
    assert.equal(typeof parseGemspec(file('broken.gemspec')), 'string');
    assert.equal(typeof parseGemspec('puts "hello"'), 'string');
  });
});

describe('Gemfile.lock', () => {
  it('lists the specs of GEM, GIT and PATH sections with platforms split off', () => {
    const gems = parseGemfileLock(file('Gemfile.lock'));
    assert.ok(Array.isArray(gems));
    const rows = gems.map((g) => `${g.name} ${g.version}${g.platform ? ` ${g.platform}` : ''}`).sort();
    assert.deepEqual(rows, [
      'actionpack 7.0.8', 'billing 0.1.0', 'concurrent-ruby 1.2.2', 'ffi 1.16.3', 'mini_portile2 2.8.5', 'nokogiri 1.15.5',
      'nokogiri 1.15.5 x86_64-linux', 'pg 1.5.4', 'racc 1.7.3', 'rack 2.2.8', 'rack-test 2.1.0', 'rails 7.0.8',
      'rspec-core 3.13.0.pre', 'sprockets 4.2.1', 'sprockets-rails 3.4.2',
    ]);
  });
  it('rejects a file that is not a lockfile', () => {
    assert.equal(typeof parseGemfileLock('{"not": "a lockfile"}'), 'string');
  });
});

describe('ruby detector', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'bulwark-ruby-'));
    const specs = join(root, 'usr/share/rubygems-integration/all/specifications');
    await mkdir(specs, { recursive: true });
    await copyFile(join(FILES, 'rack-2.2.22.gemspec'), join(specs, 'rack-2.2.22.gemspec'));
    await copyFile(join(FILES, 'broken.gemspec'), join(specs, 'broken-1.0.gemspec'));
    await mkdir(join(root, 'srv/app'), { recursive: true });
    await copyFile(join(FILES, 'Gemfile.lock'), join(root, 'srv/app/Gemfile.lock'));
    await writeFile(join(root, 'srv/app/rack.gemspec'), 'not under specifications/: a gem source tree');
  });
  after(() => rm(root, { recursive: true, force: true }));

  const run = (target: 'image' | 'directory') =>
    rubyDetector.detect({ fs: viewFromDirs([root], rubyDetector.wants), target, inspections: [] }) as DetectorResult;

  it('reports installed gemspecs in images, lockfiles only in directories, and warns on a broken gemspec', () => {
    const image = run('image');
    assert.deepEqual(image.packages!.map((p) => [p.name, p.version, p.purl, p.evidence, p.location, p.licenses.join()]), [
      ['rack', '2.2.22', 'pkg:gem/rack@2.2.22', 'installed', '/usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec', 'MIT'],
    ]);
    assert.deepEqual(image.notices!.map((n) => [n.level, n.detector, n.message.split(':')[0]]), [
      ['warning', 'ruby', '/usr/share/rubygems-integration/all/specifications/broken-1.0.gemspec'],
    ]);
    const dir = run('directory');
    const locked = dir.packages!.filter((p) => p.evidence === 'lockfile');
    assert.equal(locked.length, 15);
    assert.ok(locked.every((p) => p.location === '/srv/app/Gemfile.lock'));
    assert.ok(locked.some((p) => p.purl === 'pkg:gem/nokogiri@1.15.5?platform=x86_64-linux'));
  });
});

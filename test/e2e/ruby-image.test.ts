import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { rubyDetector } from '../../src/modules/detector/ruby/index.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, type CachedImage } from '../support/images.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/ruby-app/', import.meta.url));
const docker = async (...args: string[]) => (await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;

describe('ruby gems in a Debian image with packaged gems', () => {
  let fx: CachedImage;
  let work: string;
  let result: ImageScanResult;
  before(async () => {
    fx = await cachedImage('ruby-app', CONTEXT);
    work = await mkdtemp(join(tmpdir(), 'bulwark-ruby-e2e-'));
    const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    result = await scanImage(source, { detectors: [rubyDetector] });
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('finds every gem RubyGems itself loads, with its version and spec file', async () => {
    const script = 'Gem::Specification.each { |s| puts "#{s.name} #{s.version} #{s.loaded_from}" }';
    const oracle = (await docker('run', '--rm', '--network', 'none', fx.image, 'ruby', '-e', script)).trim().split('\n').sort();
    assert.ok(oracle.length > 50, `oracle listed ${oracle.length} gems`);
    const ours = result.packages.map((p) => `${p.name} ${p.version} ${p.location}`).sort();
    // RubyGems loads one spec per name-version; a second copy (rake in both libruby3.1 and rubygems-integration)
    // is still a file on disk, so the inventory lists it, and only such duplicates may be extra.
    for (const line of oracle) assert.ok(ours.includes(line), `missing ${line}`);
    const nameVersion = (line: string) => line.split(' ').slice(0, 2).join(' ');
    assert.deepEqual([...new Set(ours.map(nameVersion))].sort(), [...new Set(oracle.map(nameVersion))].sort());
    assert.deepEqual(result.notices, []);
  });

  it('agrees with `gem list --local` on name and versions', async () => {
    const listed = (await docker('run', '--rm', '--network', 'none', fx.image, 'gem', 'list', '--local')).trim().split('\n');
    const oracle = new Map(listed.map((line) => {
      const m = /^(\S+) \((.*)\)$/.exec(line)!;
      return [m[1]!, m[2]!.split(', ').map((v) => v.replace(/^default: /, '')).sort()];
    }));
    const ours = new Map<string, string[]>();
    for (const p of result.packages) ours.set(p.name, [...new Set([...(ours.get(p.name) ?? []), p.version])].sort());
    assert.deepEqual(new Map([...ours].sort()), new Map([...oracle].sort()));
  });

  it('reports gem purls, licenses, installed evidence and the installing layer; the Gemfile.lock does not count in an image', () => {
    const rack = result.packages.find((p) => p.name === 'rack')!;
    assert.equal(rack.purl, 'pkg:gem/rack@2.2.22');
    assert.deepEqual(rack.licenses, ['MIT']);
    assert.equal(rack.evidence, 'installed');
    assert.match(rack.layer?.createdBy ?? '', /apt-get install/);
    assert.ok(!result.packages.some((p) => p.location === '/srv/app/Gemfile.lock'));
  });

  it('in a directory holding the image files, also reads the Gemfile.lock bundler wrote, matching `bundle list`', async () => {
    const root = join(work, 'rootfs');
    await mkdir(root);
    const id = (await docker('create', fx.image)).trim();
    try {
      const tar = join(work, 'fs.tar');
      await docker('export', '-o', tar, id);
      await exec('tar', ['-xf', tar, '-C', root, 'srv/app', 'usr/share/rubygems-integration']);
    } finally {
      await docker('rm', id);
    }
    const dir = await scanDirectory(root, { detectors: [rubyDetector] });
    const listed = await docker('run', '--rm', '--network', 'none', '-w', '/srv/app', fx.image, 'bundle', 'list');
    const oracle = [...listed.matchAll(/^\s+\* (\S+) \((\S+)\)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    assert.ok(oracle.length >= 5);
    const locked = dir.packages.filter((p) => p.evidence === 'lockfile');
    assert.deepEqual(locked.map((p) => `${p.name} ${p.version}`).sort(), oracle);
    assert.ok(locked.every((p) => p.location === '/srv/app/Gemfile.lock'));
    const installed = dir.packages.filter((p) => p.evidence === 'installed').map((p) => p.name);
    assert.ok(installed.includes('sinatra') && installed.includes('rack'));
  });
});

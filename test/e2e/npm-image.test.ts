import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Package } from '../../src/core/package.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { npmDetector } from '../../src/modules/detector/npm/index.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, type CachedImage } from '../support/images.js';
import { flattenWithPaths, npmLsInImage } from '../support/npm-fixtures.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/npm-app/', import.meta.url));
const APP = '/app/node_modules/';

let fx: CachedImage;
let work: string;
let result: ImageScanResult;
let app: Package[];

const dirOf = (p: Package) => p.location.slice(0, -'/package.json'.length);
const rowOf = (p: Package) => `${p.name}@${p.version} ${dirOf(p)}`;

before(async () => {
  fx = await cachedImage('npm-app', CONTEXT);
  work = await mkdtemp(join(tmpdir(), 'bulwark-npm-e2e-'));
  const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
  try {
    result = await scanImage(source, { detectors: [npmDetector] });
  } finally {
    await source.close();
  }
  app = result.packages.filter((p) => p.type === 'npm' && p.location.startsWith(APP));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm packages installed in a real image', () => {
  it('the app tree equals `npm ls --all` in the image: (name, version, path)', async () => {
    const oracle = flattenWithPaths(await npmLsInImage(fx.image, '/app'));
    assert.ok(oracle.size > 300, `oracle has ${oracle.size} packages`);
    const ours = new Set(app.map(rowOf));
    assert.equal(ours.size, app.length, 'one package per installed folder');
    const missing = [...oracle].filter((r) => !ours.has(r));
    const extra = [...ours].filter((r) => !oracle.has(r));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });

  it('nested duplicates at different versions are each reported', () => {
    const versions = new Map<string, Set<string>>();
    for (const p of app) versions.set(p.name, (versions.get(p.name) ?? new Set()).add(p.version));
    const multi = [...versions].filter(([, v]) => v.size > 1);
    assert.ok(multi.length >= 10, `names at several versions: ${multi.length}`);
  });

  it('scopes from the hidden lockfile agree with `npm ls --omit=dev`', async () => {
    const prodTree = flattenWithPaths(await npmLsInImage(fx.image, '/app', ['--omit=dev']));
    const nonDev = new Set(app.filter((p) => p.scope !== 'dev').map(rowOf));
    assert.ok(app.every((p) => p.scope !== undefined), 'every app package has a scope');
    assert.deepEqual([...nonDev].sort(), [...prodTree].sort());
    assert.ok(app.some((p) => p.scope === 'dev') && app.some((p) => p.scope === 'prod'));
  });

  it('purls, licenses, evidence and the layer that ran npm ci', () => {
    const core = app.find((p) => p.location === '/app/node_modules/@babel/core/package.json')!;
    assert.equal(core.purl, 'pkg:npm/%40babel/core@7.24.7');
    assert.deepEqual(core.licenses, ['MIT']);
    assert.equal(core.evidence, 'installed');
    assert.equal(core.scope, 'prod');
    for (const p of app) assert.match(p.layer?.createdBy ?? '', /npm ci/, p.location);
    const licensed = app.filter((p) => p.licenses.length > 0).length;
    assert.ok(licensed / app.length > 0.95, `${licensed}/${app.length} with a license`);
  });

  it("Debian's node packages under /usr/share/nodejs, npm's own version as the image reports it", async () => {
    const debian = result.packages.filter((p) => p.location.startsWith('/usr/share/nodejs/'));
    assert.ok(debian.length > 50, `debian node packages: ${debian.length}`);
    const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', fx.image, 'npm', '--version']);
    const npm = debian.find((p) => p.location === '/usr/share/nodejs/npm/package.json');
    assert.equal(npm?.version, stdout.trim());
  });

  it('a malformed package.json is a warning naming it; the scan goes on', () => {
    const warnings = result.notices.filter((n) => n.detector === 'npm');
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]!.level, 'warning');
    assert.match(warnings[0]!.message, /^\/opt\/broken\/node_modules\/broken-pkg\/package\.json: invalid JSON/);
    assert.ok(!result.packages.some((p) => p.name === 'broken-pkg'));
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { dotnetDetector } from '../../src/modules/detector/dotnet/index.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, type CachedImage } from '../support/images.js';

const CONTEXT = fileURLToPath(new URL('../fixtures/dotnet-app/', import.meta.url));
const APP = join(CONTEXT, 'app');

/** Expected from the fixture files themselves, read independently of the detector. */
function expectedFromDeps(): string[] {
  const deps = JSON.parse(readFileSync(join(APP, 'WebApi.deps.json'), 'utf8')) as { libraries: Record<string, { type: string }> };
  return Object.entries(deps.libraries).filter(([, l]) => l.type === 'package').map(([k]) => `pkg:nuget/${k.replace('/', '@')}`).sort();
}

describe('.NET packages in an image holding a published app', () => {
  let fx: CachedImage;
  let work: string;
  let result: ImageScanResult;
  before(async () => {
    fx = await cachedImage('dotnet-app', CONTEXT);
    work = await mkdtemp(join(tmpdir(), 'bulwark-dotnet-e2e-'));
    const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    result = await scanImage(source, { detectors: [dotnetDetector] });
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reports the deps.json packages (not projects, not packages.lock.json) with the COPY layer', () => {
    assert.deepEqual(result.packages.map((p) => p.purl).sort(), expectedFromDeps());
    assert.ok(result.packages.every((p) => p.location === '/app/WebApi.deps.json' && p.evidence === 'installed'));
    assert.ok(result.packages.every((p) => /COPY/.test(p.layer?.createdBy ?? '')));
    assert.deepEqual(result.notices, []);
  });

  it('in a directory, adds packages.lock.json packages', async () => {
    const dir = await scanDirectory(CONTEXT, { detectors: [dotnetDetector] });
    const locked = dir.packages.filter((p) => p.evidence === 'lockfile');
    assert.equal(locked.length, 5);
    assert.ok(locked.some((p) => p.purl === 'pkg:nuget/System.Runtime.InteropServices.RuntimeInformation@4.3.0'));
    assert.ok(locked.every((p) => p.location === '/app/packages.lock.json'));
  });
});

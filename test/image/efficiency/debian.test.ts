/**
 * The efficiency report of the real multi-layer Debian test image (built by test/support/images.ts,
 * needs the Docker engine): fed by the walker, read from the layer tars directly, computed naively,
 * and checked against the final filesystem as the engine itself exports it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import tarStream from 'tar-stream';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createEfficiencyCollector, efficiencyFromLayerTars, type EfficiencyReport } from '../../../src/image/efficiency/index.js';
import { buildView } from '../../../src/image/walker.js';
import type { LayeredView } from '../../../src/image/view.js';
import { openInput } from '../../../src/sources/archive/open-input.js';
import { debianFixtures, type DebianFixtures } from '../../support/images.js';
import { naiveEfficiency, sumOfFiles } from './naive.js';

const exec = promisify(execFile);
const ALL = { topPaths: Infinity, topDirs: Infinity };

/** Regular-file bytes per directory (and '/') of a flat filesystem tar; hard links are not content. */
async function filesystemTarSizes(path: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>([['/', 0]]);
  const extract = tarStream.extract();
  extract.on('entry', (header, body, next) => {
    if (header.type === 'file' || header.type === 'contiguous-file') {
      const parts = header.name.split('/').filter((p) => p !== '' && p !== '.');
      for (let i = 0; i < parts.length; i++) {
        const dir = i === 0 ? '/' : `/${parts.slice(0, i).join('/')}`;
        sizes.set(dir, (sizes.get(dir) ?? 0) + (header.size ?? 0));
      }
    }
    body.on('end', () => next()).resume();
  });
  await pipeline(createReadStream(path), extract);
  return sizes;
}

/** Files the engine mounts over in every container: a container's export shows its own empty ones. */
const ENGINE_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

describe('lean-image efficiency of the real Debian test image', () => {
  let fx: DebianFixtures;
  let work: string;
  let layerTars: string[];
  let fromTars: EfficiencyReport;
  let fromWalker: EfficiencyReport;
  let view: LayeredView;
  before(async () => {
    fx = await debianFixtures();
    work = await mkdtemp(join(tmpdir(), 'bulwark-efficiency-debian-'));
    // The system tar unpacks the docker-archive: the layer files are then read without any bulwark source code.
    await exec('tar', ['-xf', fx.dockerArchive, '-C', work]);
    const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    layerTars = manifest[0]!.Layers.map((l) => join(work, l));
    fromTars = await efficiencyFromLayerTars(layerTars, ALL);
    const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    try {
      const collector = createEfficiencyCollector();
      view = await buildView(source, { wants: () => false, observer: collector });
      fromWalker = collector.result(ALL);
    } finally {
      await source.close();
    }
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the walker-fed collector gives the same report as the layer tars', () => {
    assert.ok(fromTars.layers.length >= 5, 'a multi-layer image');
    assert.deepEqual(fromWalker, fromTars);
    assert.equal(fromTars.finalBytes, sumOfFiles(view.entries()), 'final bytes = regular files of the merged view');
  });

  it('agrees with the naive computation over the same tars', async () => {
    assert.deepEqual(fromTars, await naiveEfficiency(layerTars));
  });

  it('final bytes and directory sizes match the engine\'s own export of the image\'s filesystem', async () => {
    const id = (await exec('docker', ['create', fx.appImage])).stdout.trim();
    const exported = join(work, 'export.tar');
    try {
      await exec('docker', ['export', '-o', exported, id]);
    } finally {
      await exec('docker', ['rm', '-f', id]);
    }
    const sizes = await filesystemTarSizes(exported);
    const engineBytes = (dir: string) =>
      ENGINE_FILES.filter((f) => dir === '/' || f.startsWith(`${dir}/`)).reduce((sum, f) => sum + (view.stat(f)?.size ?? 0), 0);
    assert.ok(engineBytes('/') > 0, 'the image has its own /etc/hostname and /etc/resolv.conf');
    assert.equal(fromTars.finalBytes - engineBytes('/'), sizes.get('/'));
    for (const dir of fromTars.largestDirs.slice(0, 40)) assert.equal(dir.bytes - engineBytes(dir.path), sizes.get(dir.path) ?? 0, dir.path);
  });

  it('shows what the Dockerfile wastes: deleted apt lists and the removed file, the rewritten dpkg status', () => {
    assert.ok(fromTars.wastedBytes > 0 && fromTars.efficiency < 1);
    assert.equal(fromTars.wastedBytes, fromTars.layers.reduce((sum, l) => sum + l.wastedBytes, 0));
    const wasted = new Map(fromTars.wastedPaths.map((p) => [p.path, p]));
    const lists = fromTars.wastedPaths.filter((p) => p.path.startsWith('/var/lib/apt/lists/') && p.removed);
    assert.ok(lists.length > 0, 'apt lists deleted by a later layer');
    assert.equal(wasted.get('/opt/app/remove-me.txt')?.removed, true);
    assert.equal(wasted.get('/var/lib/dpkg/status')?.removed, false);
    assert.ok((wasted.get('/var/lib/dpkg/status')?.layers.length ?? 0) >= 2);
    assert.equal(fromTars.largestDirs[0]!.path, '/usr');
  });
});

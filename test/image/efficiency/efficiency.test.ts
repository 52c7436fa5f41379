import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isBulwarkError } from '../../../src/core/errors.js';
import { createEfficiencyCollector, efficiencyFromLayerTars, type EfficiencyReport } from '../../../src/image/efficiency/index.js';
import { buildView } from '../../../src/image/walker.js';
import { dir, file, hardlink, opaque, randomImage, seeded, sourceOf, symlink, whiteout, writeLayers, type Entry } from './layers.js';
import { naiveEfficiency, sumOfFiles } from './naive.js';

const ALL = { topPaths: Infinity, topDirs: Infinity };

let scratch: string;
let counter = 0;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bulwark-efficiency-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function layerPaths(layers: Entry[][], gzip?: (i: number) => boolean) {
  const dirPath = join(scratch, `case-${counter++}`);
  await mkdir(dirPath);
  return writeLayers(dirPath, layers, gzip);
}

/** The report from the tars, checked against the naive computation and against the walker-fed collector. */
async function reportOf(layers: Entry[][], gzip?: (i: number) => boolean): Promise<EfficiencyReport> {
  const written = await layerPaths(layers, gzip);
  const paths = written.map((l) => l.path);
  const fromTars = await efficiencyFromLayerTars(paths, ALL);
  assert.deepEqual(fromTars, await naiveEfficiency(paths), 'collector disagrees with the naive computation');
  const collector = createEfficiencyCollector();
  const view = await buildView(sourceOf(written), { wants: () => false, observer: collector });
  assert.deepEqual(collector.result(ALL), fromTars, 'walker-fed collector disagrees with the tars read directly');
  const visibleFiles = sumOfFiles(view.entries());
  // With no hard link outliving its target, the view's regular files hold exactly the final bytes.
  const hasHardLinks = layers.some((l) => l.some((e) => e.kind === 'hardlink'));
  if (!hasHardLinks) assert.equal(fromTars.finalBytes, visibleFiles, 'final bytes differ from the view');
  return fromTars;
}

describe('lean-image efficiency from layer tars', () => {
  it('counts an overwritten version as wasted and keeps the newer one', async () => {
    const r = await reportOf([[dir('a'), file('a/x', 100), file('a/keep', 5)], [file('a/x', 40)]]);
    assert.equal(r.totalBytes, 145);
    assert.equal(r.finalBytes, 45);
    assert.equal(r.wastedBytes, 100);
    assert.equal(r.efficiency, 45 / 145);
    assert.deepEqual(r.layers, [
      { index: 0, addedBytes: 105, addedFiles: 2, wastedBytes: 100, wastedFiles: 1 },
      { index: 1, addedBytes: 40, addedFiles: 1, wastedBytes: 0, wastedFiles: 0 },
    ]);
    assert.deepEqual(r.wastedPaths, [{ path: '/a/x', wastedBytes: 100, layers: [0, 1], removed: false }]);
    assert.deepEqual(r.largestDirs, [{ path: '/a', bytes: 45, files: 2 }]);
  });

  it('counts a file deleted by a whiteout as wholly wasted', async () => {
    const r = await reportOf([[dir('etc'), file('etc/big', 1000), file('etc/small', 10)], [dir('etc'), whiteout('etc/big')]]);
    assert.deepEqual([r.totalBytes, r.finalBytes, r.wastedBytes], [1010, 10, 1000]);
    assert.deepEqual(r.wastedPaths, [{ path: '/etc/big', wastedBytes: 1000, layers: [0], removed: true }]);
    assert.deepEqual(r.layers.map((l) => l.wastedBytes), [1000, 0]);
  });

  it('a whiteout of a directory wastes everything below it', async () => {
    const r = await reportOf([[file('d/a', 3), file('d/b/c', 4), file('e', 1)], [whiteout('d')]]);
    assert.deepEqual([r.totalBytes, r.finalBytes], [8, 1]);
    assert.deepEqual(r.wastedPaths.map((p) => p.path), ['/d/b/c', '/d/a']);
  });

  it('an opaque directory hides lower content, not its own layer\'s', async () => {
    const r = await reportOf([
      [dir('d'), file('d/old', 50), dir('d/sub'), file('d/sub/older', 30), file('other', 2)],
      [dir('d'), opaque('d'), file('d/new', 5), file('d/sub/newer', 6)],
    ]);
    assert.deepEqual([r.totalBytes, r.finalBytes, r.wastedBytes], [93, 13, 80]);
    assert.deepEqual(r.wastedPaths.map((p) => [p.path, p.wastedBytes]), [['/d/old', 50], ['/d/sub/older', 30]]);
    assert.deepEqual(r.largestDirs, [
      { path: '/d', bytes: 11, files: 2 },
      { path: '/d/sub', bytes: 6, files: 1 },
    ]);
  });

  it('a file re-added after its deletion counts the deleted version only', async () => {
    const r = await reportOf([[file('f', 10)], [whiteout('f')], [file('f', 7)]]);
    assert.deepEqual([r.totalBytes, r.finalBytes, r.wastedBytes], [17, 7, 10]);
    assert.deepEqual(r.wastedPaths, [{ path: '/f', wastedBytes: 10, layers: [0, 2], removed: false }]);
    assert.deepEqual(r.layers.map((l) => l.addedBytes), [10, 0, 7]);
  });

  it('a whiteout and a new file at the same path in one layer: the new file stays', async () => {
    const r = await reportOf([[file('f', 10)], [whiteout('f'), file('f', 3)]]);
    assert.deepEqual([r.totalBytes, r.finalBytes], [13, 3]);
  });

  it('a file over a directory hides the directory\'s files; a directory over a file hides the file', async () => {
    const r = await reportOf([[file('d/x', 9), file('g', 4)], [file('d', 2), file('g/y', 1)]]);
    assert.deepEqual([r.totalBytes, r.finalBytes, r.wastedBytes], [16, 3, 13]);
  });

  it('symlinks and hard links weigh nothing; a hard link keeps deleted content visible', async () => {
    const base = [dir('data'), file('data/original', 20), hardlink('data/hardlink', 'data/original'), symlink('data/link', 'original')];
    const one = await reportOf([base]);
    assert.deepEqual([one.totalBytes, one.finalBytes, one.efficiency], [20, 20, 1]);
    assert.deepEqual(one.largestDirs, [{ path: '/data', bytes: 20, files: 1 }]);
    const two = await reportOf([base, [whiteout('data/original')]]);
    assert.deepEqual([two.totalBytes, two.finalBytes, two.wastedBytes], [20, 20, 0], 'still shown through the hard link');
    const three = await reportOf([base, [whiteout('data/original')], [whiteout('data/hardlink')]]);
    assert.deepEqual([three.totalBytes, three.finalBytes, three.wastedBytes], [20, 0, 20]);
    assert.deepEqual(three.wastedPaths, [{ path: '/data/original', wastedBytes: 20, layers: [0], removed: true }]);
    const chained = await reportOf([[...base, hardlink('data/second', 'data/hardlink')], [whiteout('data/original'), whiteout('data/hardlink')]]);
    assert.deepEqual([chained.finalBytes, chained.wastedBytes], [20, 0], 'a link to a link shares the same content');
    assert.deepEqual(chained.largestDirs, [{ path: '/data', bytes: 20, files: 1 }]);
  });

  it('a one-layer image is 100% efficient, an empty image too', async () => {
    const r = await reportOf([[dir('usr'), file('usr/a', 123), file('usr/b', 0), symlink('usr/c', 'a')]]);
    assert.deepEqual([r.efficiency, r.wastedBytes, r.wastedPaths.length], [1, 0, 0]);
    const empty = createEfficiencyCollector();
    empty.addLayer(0);
    assert.deepEqual(empty.result(), { totalBytes: 0, finalBytes: 0, wastedBytes: 0, efficiency: 1, layers: [{ index: 0, addedBytes: 0, addedFiles: 0, wastedBytes: 0, wastedFiles: 0 }], wastedPaths: [], largestDirs: [] });
  });

  it('reads gzip layers, and the top-N limits cut the sorted lists', async () => {
    const layers = [[file('a/1', 1), file('a/2', 2), file('b/3', 3), file('b/c/4', 4)], [file('a/1', 1), file('a/2', 2), file('b/3', 3)]];
    const full = await reportOf(layers, (i) => i === 1);
    assert.deepEqual(full.wastedPaths.map((p) => p.path), ['/b/3', '/a/2', '/a/1']);
    const written = await layerPaths(layers, () => true);
    const cut = await efficiencyFromLayerTars(written.map((l) => l.path), { topPaths: 2, topDirs: 1 });
    assert.deepEqual(cut.wastedPaths, full.wastedPaths.slice(0, 2));
    assert.deepEqual(cut.largestDirs, [{ path: '/b', bytes: 7, files: 2 }]);
  });

  it('agrees with the naive computation and the walker on 150 random images', async () => {
    const random = seeded(5);
    for (let i = 0; i < 150; i++) {
      const layers = randomImage(random);
      await assert.doesNotReject(reportOf(layers, (l) => l % 2 === 1), `random image ${i}: ${JSON.stringify(layers)}`);
    }
  });

  it('refuses a layer entry that climbs out of the root, and a file that is not a tar', async () => {
    const written = await layerPaths([[file('../evil', 1)]]);
    await assert.rejects(efficiencyFromLayerTars(written.map((l) => l.path)), (e) => isBulwarkError(e) && e.code === 'E_PATH');
    const junk = join(scratch, 'junk.tar');
    await writeFile(junk, Buffer.alloc(1024, 'x'));
    await assert.rejects(efficiencyFromLayerTars([junk]), (e) => isBulwarkError(e) && e.code === 'E_FORMAT' && e.message.includes('junk.tar'));
  });

  it('the collector wants a layer before entries, and layers in order', () => {
    const c = createEfficiencyCollector();
    assert.throws(() => c.addEntry({ path: '/x', type: 'file', size: 1 }), /before any layer/);
    c.addLayer(0);
    assert.throws(() => c.addLayer(0), /after layer 0/);
  });
});

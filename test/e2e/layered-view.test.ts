import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after, describe, it } from 'node:test';
import { openInput } from '../../src/sources/archive/open-input.js';
import { buildView } from '../../src/image/walker.js';
import type { FileSystemView } from '../../src/image/types.js';
import { debianFixtures } from '../support/images.js';

/** The fixture Dockerfile's layers, in order after the imported base (layer 0). */
const LAYER = { copy: 1, apt: 2, whiteouts: 3, opaque: 4, symlink: 5, links: 6 };

describe('layered filesystem view of a real built image', () => {
  let view: FileSystemView;
  let temp: string;
  before(async () => {
    const fx = await debianFixtures();
    temp = await mkdtemp(join(tmpdir(), 'bulwark-view-'));
    const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: temp });
    view = await buildView(source, { wants: (p) => p === 'opt/app/data/original' || p === 'opt/app/data/hardlink' || p === 'etc/os-release' || p === 'usr/lib/os-release' });
  });
  after(async () => {
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  it('applies whiteouts: files deleted in a later layer are gone', () => {
    assert.equal(view.stat('/opt/app/remove-me.txt'), undefined);
    assert.deepEqual(view.list('/var/lib/apt/lists').filter((f) => f.type === 'file'), []);
    assert.ok(view.stat('/opt/app/README'), 'siblings of a deleted file stay');
  });

  it('applies opaque directories: only the new content of a replaced directory remains', () => {
    assert.deepEqual(view.list('/opt/app/config').map((f) => f.path), ['/opt/app/config/new.conf']);
    assert.equal(view.stat('/opt/app/config/new.conf')?.layer, LAYER.opaque);
  });

  it('a file replaced by a symlink is a symlink written by the later layer', () => {
    const link = view.stat('/opt/app/bin/replaced-by-link');
    assert.equal(link?.type, 'symlink');
    assert.equal(link?.linkTarget, '/usr/bin/curl');
    assert.equal(link?.layer, LAYER.symlink);
    assert.equal(view.stat('/opt/app/bin/replaced-by-link', { follow: true })?.path, '/usr/bin/curl');
  });

  it('keeps mode, owner, size and the writing layer of every file', () => {
    const suid = view.stat('/opt/app/bin/suid-helper')!;
    assert.equal(suid.mode, 0o4755);
    assert.equal(suid.layer, LAYER.links);
    const owned = view.stat('/opt/app/data/owned')!;
    assert.deepEqual([owned.uid, owned.gid, owned.size], [1234, 5678, 'owned by 1234:5678\n'.length]);
    assert.equal(view.layers[LAYER.apt]?.createdBy?.includes('apt-get install'), true);
    assert.ok(view.stat('/usr/bin/curl')!.layer === LAYER.apt);
  });

  it('resolves hard links to their target content', () => {
    const link = view.stat('/opt/app/data/hardlink')!;
    const original = view.stat('/opt/app/data/original')!;
    assert.ok(link.type === 'hardlink' || original.type === 'hardlink');
    assert.equal(view.read('/opt/app/data/hardlink')?.toString(), 'hard linked content\n');
    assert.equal(view.read('/opt/app/data/original')?.toString(), 'hard linked content\n');
  });

  it('reads through the os-release symlink inside the image, never the host', () => {
    assert.equal(view.stat('/etc/os-release')?.type, 'symlink');
    assert.match(view.read('/etc/os-release')!.toString(), /VERSION_CODENAME=bookworm/);
  });
});

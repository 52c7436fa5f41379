import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileTree } from '../../src/image/tree.js';
import { LayeredView } from '../../src/image/view.js';

const file = (layer: number) => ({ type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, layer });
const dir = (layer: number) => ({ type: 'dir' as const, mode: 0o755, uid: 0, gid: 0, size: 0, layer });
const p = (path: string) => path.split('/');

function paths(tree: FileTree): string[] {
  return [...new LayeredView(tree, new Map(), []).entries()].map((e) => e.path);
}

describe('overlay semantics of the merged tree', () => {
  it('a whiteout removes a lower file and a lower directory with everything in it', () => {
    const tree = new FileTree();
    tree.put(p('a/x'), file(0));
    tree.put(p('b/c/d'), file(0));
    tree.whiteout(p('a/x'), 1);
    tree.whiteout(p('b/c'), 1);
    assert.deepEqual(paths(tree), ['/a', '/b']);
  });

  it('an opaque marker hides lower content but keeps the same layer\'s, whatever the entry order', () => {
    const tree = new FileTree();
    tree.put(p('d/old'), file(0));
    tree.put(p('d/sub/older'), file(0));
    tree.put(p('d'), dir(1));
    tree.put(p('d/new'), file(1));
    tree.put(p('d/sub/newer'), file(1));
    tree.opaque(p('d'), 1);
    assert.deepEqual(paths(tree), ['/d', '/d/new', '/d/sub', '/d/sub/newer']);
  });

  it('a whiteout never removes what its own layer wrote', () => {
    const tree = new FileTree();
    tree.put(p('x'), file(1));
    tree.whiteout(p('x'), 1);
    assert.deepEqual(paths(tree), ['/x']);
  });

  it('a file replaces a directory, and a directory written over a directory keeps its children', () => {
    const tree = new FileTree();
    tree.put(p('d/child'), file(0));
    tree.put(p('d'), { ...dir(1), mode: 0o700 });
    assert.deepEqual(paths(tree), ['/d', '/d/child']);
    assert.equal(tree.lookup(p('d'))!.mode, 0o700);
    tree.put(p('d'), file(2));
    assert.deepEqual(paths(tree), ['/d']);
  });

  it('a path through a lower symlink becomes a real directory, as overlayfs does', () => {
    const tree = new FileTree();
    tree.put(p('lib'), { type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: 'usr/lib', layer: 0 });
    tree.put(p('lib/x.so'), file(1));
    assert.equal(tree.lookup(p('lib'))!.type, 'dir');
  });
});

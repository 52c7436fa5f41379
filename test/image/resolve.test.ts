import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileTree } from '../../src/image/tree.js';
import { resolvePath } from '../../src/image/resolve.js';
import { BulwarkError } from '../../src/core/errors.js';

const link = (target: string) => ({ type: 'symlink' as const, mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: target, layer: 0 });
const file = { type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 3, layer: 0 };

function tree(): FileTree {
  const t = new FileTree();
  t.put(['usr', 'lib', 'os-release'], file);
  t.put(['etc', 'os-release'], link('../usr/lib/os-release'));
  t.put(['etc', 'abs'], link('/usr/lib/os-release'));
  t.put(['lib'], link('usr/lib'));
  t.put(['etc', 'chain'], link('abs'));
  t.put(['etc', 'loop-a'], link('loop-b'));
  t.put(['etc', 'loop-b'], link('loop-a'));
  t.put(['etc', 'escape'], link('../../../../etc/shadow'));
  t.put(['etc', 'abs-escape'], link('/../../etc/shadow'));
  return t;
}

const resolved = (path: string) => resolvePath(tree(), path, true).parts.join('/');

describe('symlink resolution inside the image root', () => {
  it('follows relative, absolute, chained and directory links', () => {
    assert.equal(resolved('/etc/os-release'), 'usr/lib/os-release');
    assert.equal(resolved('/etc/abs'), 'usr/lib/os-release');
    assert.equal(resolved('/etc/chain'), 'usr/lib/os-release');
    assert.equal(resolved('/lib/os-release'), 'usr/lib/os-release');
  });

  it('leaves the last component alone unless asked to follow it', () => {
    assert.equal(resolvePath(tree(), '/etc/os-release', false).node?.type, 'symlink');
  });

  it('refuses a link that climbs above the root, relative or absolute', () => {
    for (const path of ['/etc/escape', '/etc/abs-escape']) {
      assert.throws(() => resolved(path), (e: unknown) => e instanceof BulwarkError && e.code === 'E_PATH' && /escapes the image root/.test(e.message));
    }
  });

  it('stops a link loop', () => {
    assert.throws(() => resolved('/etc/loop-a'), /too many levels of symbolic links/);
  });

  it('treats ".." at the root of a caller\'s path like the kernel does', () => {
    assert.equal(resolved('/../etc/os-release'), 'usr/lib/os-release');
  });
});

import { BulwarkError } from '../core/errors.js';
import type { FileTree, TreeNode } from './tree.js';

const MAX_LINK_HOPS = 40;

export interface Resolved {
  parts: string[];
  node: TreeNode | undefined;
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/**
 * Resolves a path inside the image the way the kernel would in a chroot, except that a symlink whose
 * target climbs above the root is refused: following it would mean reading outside the image.
 */
export function resolvePath(tree: FileTree, path: string, followLast: boolean): Resolved {
  const done: string[] = [];
  const pending = split(path).reverse();
  let hops = 0;
  let node: TreeNode | undefined = tree.root;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === '..') {
      done.pop();
      node = tree.lookup(done);
      continue;
    }
    const child: TreeNode | undefined = node?.children?.get(part);
    const isLast = pending.length === 0;
    if (child?.type === 'symlink' && (!isLast || followLast)) {
      if (++hops > MAX_LINK_HOPS) {
        throw new BulwarkError('E_PATH', `${path}: too many levels of symbolic links`);
      }
      const target = child.linkTarget ?? '';
      const linkPath = `/${[...done, part].join('/')}`;
      const base = target.startsWith('/') ? [] : [...done];
      let depth = base.length;
      for (const t of split(target)) {
        depth += t === '..' ? -1 : 1;
        if (depth < 0) {
          throw new BulwarkError('E_PATH', `symlink ${linkPath} -> ${target} escapes the image root`);
        }
      }
      done.length = 0;
      done.push(...base);
      pending.push(...split(target).reverse());
      node = tree.lookup(done);
      continue;
    }
    done.push(part);
    node = child;
    if (!node && !isLast) return { parts: [...done, ...pending.reverse()], node: undefined };
  }
  return { parts: done, node };
}

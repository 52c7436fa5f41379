import type { FileInfo } from './types.js';

/** A file's metadata as the tree stores it: the path is where it sits, not a field. */
export type TreeNode = Omit<FileInfo, 'path'> & { children?: Map<string, TreeNode> };

function implicitDir(layer: number): TreeNode {
  return { type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer, children: new Map() };
}

/**
 * The merged filesystem as layers are applied, with overlay semantics: an upper entry replaces a
 * lower one; directories merge; whiteouts and opaque markers hide lower-layer content only.
 */
export class FileTree {
  readonly root: TreeNode = implicitDir(-1);

  lookup(parts: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    for (const part of parts) {
      node = node?.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Parent directory of `parts`, created as needed; a non-directory in the way is replaced, as overlayfs does. */
  private parentDir(parts: readonly string[], layer: number): TreeNode {
    let node = this.root;
    for (const part of parts.slice(0, -1)) {
      let child = node.children!.get(part);
      if (!child || child.type !== 'dir') {
        child = implicitDir(layer);
        node.children!.set(part, child);
      }
      node = child;
    }
    return node;
  }

  put(parts: readonly string[], entry: Omit<TreeNode, 'children'>): void {
    if (parts.length === 0) {
      Object.assign(this.root, { mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: entry.layer });
      return;
    }
    const parent = this.parentDir(parts, entry.layer);
    const name = parts[parts.length - 1]!;
    const existing = parent.children!.get(name);
    if (entry.type === 'dir' && existing?.type === 'dir') {
      Object.assign(existing, entry, { children: existing.children });
      return;
    }
    parent.children!.set(name, entry.type === 'dir' ? { ...entry, children: new Map() } : { ...entry });
  }

  /** A whiteout in `layer`: removes what lower layers put at `parts`. */
  whiteout(parts: readonly string[], layer: number): void {
    const parent = this.lookup(parts.slice(0, -1));
    const name = parts[parts.length - 1]!;
    const node = parent?.children?.get(name);
    if (node && node.layer < layer && !hasContentFrom(node, layer)) parent!.children!.delete(name);
  }

  /** An opaque marker in `layer`: hides every lower-layer entry inside the directory. */
  opaque(parts: readonly string[], layer: number): void {
    const dir = this.lookup(parts);
    if (dir?.children) pruneLower(dir, layer);
  }
}

function hasContentFrom(node: TreeNode, layer: number): boolean {
  if (node.layer >= layer) return true;
  for (const child of node.children?.values() ?? []) if (hasContentFrom(child, layer)) return true;
  return false;
}

function pruneLower(dir: TreeNode, layer: number): void {
  for (const [name, child] of dir.children!) {
    if (!hasContentFrom(child, layer)) dir.children!.delete(name);
    else if (child.children) pruneLower(child, layer);
  }
}

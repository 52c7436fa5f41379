import type { FileTree, TreeNode } from './tree.js';
import type { FileInfo, FileSystemView, FileVersion, LayerInfo } from './types.js';
import { resolvePath } from './resolve.js';
import type { Notice } from '../core/package.js';
import type { Inspection } from '../modules/detector/types.js';

/** Captured content by absolute path, one version per layer that wrote or deleted it. */
export type CaptureStore = Map<string, FileVersion[]>;
/** Inspectors' results by module id, for every inspected version of every file. */
export type InspectionStore = Map<string, Inspection[]>;

function toInfo(path: string, node: TreeNode): FileInfo {
  const info: FileInfo = {
    path,
    type: node.type,
    mode: node.mode,
    uid: node.uid,
    gid: node.gid,
    size: node.size,
    layer: node.layer,
  };
  if (node.linkTarget !== undefined) info.linkTarget = node.linkTarget;
  return info;
}

export class LayeredView implements FileSystemView {
  constructor(
    private readonly tree: FileTree,
    private readonly captures: CaptureStore,
    readonly layers: readonly LayerInfo[],
    private readonly inspectionStore: InspectionStore = new Map(),
    /** Warnings raised while reading the layers (an inspector that failed on a file). */
    readonly notices: readonly Notice[] = [],
  ) {}

  /** A module's inspections of files that are still, in the final view, the version it inspected. */
  inspections(id: string): Inspection[] {
    return (this.inspectionStore.get(id) ?? [])
      .filter((i) => {
        const node = this.tree.lookup(i.path.slice(1).split('/'));
        return node?.type === 'file' && node.layer === i.layer;
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Every inspection a module made, including versions a later layer overwrote or deleted (their bytes
   * are still in the image's layer blobs), sorted by layer then path.
   */
  allInspections(id: string): Inspection[] {
    return [...(this.inspectionStore.get(id) ?? [])].sort((a, b) => a.layer - b.layer || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  stat(path: string, options: { follow?: boolean } = {}): FileInfo | undefined {
    const { parts, node } = resolvePath(this.tree, path, options.follow ?? false);
    return node ? toInfo(`/${parts.join('/')}`, node) : undefined;
  }

  read(path: string): Buffer | undefined {
    const versions = this.history(path);
    const last = versions[versions.length - 1];
    return last?.content ?? undefined;
  }

  history(path: string): FileVersion[] {
    const { parts, node } = resolvePath(this.tree, path, true);
    if (!node) return this.captures.get(`/${parts.join('/')}`) ?? [];
    const real = node.type === 'hardlink' && node.linkTarget ? node.linkTarget : `/${parts.join('/')}`;
    return this.captures.get(`/${parts.join('/')}`) ?? this.captures.get(real) ?? [];
  }

  capturedPaths(): string[] {
    const present: string[] = [];
    for (const [path, versions] of this.captures) {
      if (versions[versions.length - 1]?.content) present.push(path);
    }
    return present.sort();
  }

  *entries(): Iterable<FileInfo> {
    yield* walk(this.tree.root, '');
  }

  list(dir: string): FileInfo[] {
    const { parts, node } = resolvePath(this.tree, dir, true);
    if (!node?.children) return [];
    const prefix = parts.length ? `/${parts.join('/')}` : '';
    return [...node.children.keys()].sort().map((name) => toInfo(`${prefix}/${name}`, node.children!.get(name)!));
  }
}

function* walk(dir: TreeNode, prefix: string): Generator<FileInfo> {
  for (const name of [...dir.children!.keys()].sort()) {
    const node = dir.children!.get(name)!;
    const path = `${prefix}/${name}`;
    yield toInfo(path, node);
    if (node.children) yield* walk(node, path);
  }
}

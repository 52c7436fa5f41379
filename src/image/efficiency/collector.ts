import { entryComponents } from '../entry-path.js';
import { FileTree, type TreeNode } from '../tree.js';
import type { FileType } from '../types.js';
import type { LayerEntryObserver } from '../walker.js';
import {
  DEFAULT_EFFICIENCY_LIMITS,
  type DirectorySize,
  type EfficiencyLimits,
  type EfficiencyReport,
  type LayerEfficiency,
  type WastedPath,
} from './report.js';

export interface LayerEntry {
  /** Absolute ("/etc/passwd") or tar-relative ("./etc/passwd"). */
  path: string;
  type: FileType;
  size: number;
  /** A hard link's target path; ignored for other types. */
  linkTarget?: string;
}

/** One regular-file entry of one layer, and the tree nodes (its own, then same-layer hard links) that show it. */
interface Version {
  path: string;
  layer: number;
  size: number;
  holders: TreeNode[];
}

export interface EfficiencyCollector extends LayerEntryObserver {
  addEntry(entry: LayerEntry): void;
  result(limits?: Partial<EfficiencyLimits>): EfficiencyReport;
}

/**
 * Accumulates layer entries as they stream, in layer order, and computes the report (see report.ts)
 * without a second pass over the layers. Visibility comes from the same overlay tree the walker builds
 * the view with, so the report and the view cannot disagree about what the final image holds.
 */
export function createEfficiencyCollector(): EfficiencyCollector {
  return new Collector();
}

function partsOf(path: string): string[] {
  return entryComponents(path.replace(/^\/+/, ''), 'efficiency report');
}

class Collector implements EfficiencyCollector {
  private readonly tree = new FileTree();
  private readonly versions: Version[] = [];
  private readonly layerIndexes: number[] = [];
  private current = -1;
  /** This layer's entries that carry a version, by path: what a hard link to that path shares. */
  private readonly layerInodes = new Map<string, Version>();
  private whiteouts: string[][] = [];
  private opaques: string[][] = [];

  addLayer(index: number): void {
    if (index <= this.current) throw new Error(`efficiency: layer ${index} added after layer ${this.current}`);
    this.applyPending();
    this.current = index;
    this.layerIndexes.push(index);
    this.layerInodes.clear();
  }

  addEntry(entry: LayerEntry): void {
    const layer = this.layer();
    const parts = partsOf(entry.path);
    if (parts.length === 0) return;
    const isFile = entry.type === 'file';
    this.tree.put(parts, { type: entry.type, mode: 0, uid: 0, gid: 0, size: isFile ? entry.size : 0, layer });
    const node = this.tree.lookup(parts)!;
    const key = parts.join('/');
    if (isFile) {
      const version: Version = { path: `/${key}`, layer, size: entry.size, holders: [node] };
      this.versions.push(version);
      this.layerInodes.set(key, version);
      return;
    }
    const shared = entry.type === 'hardlink' && entry.linkTarget !== undefined ? this.layerInodes.get(partsOf(entry.linkTarget).join('/')) : undefined;
    if (shared) {
      shared.holders.push(node);
      this.layerInodes.set(key, shared);
    } else {
      this.layerInodes.delete(key);
    }
  }

  addWhiteout(path: string): void {
    this.layer();
    this.whiteouts.push(partsOf(path));
  }

  addOpaque(dir: string): void {
    this.layer();
    this.opaques.push(partsOf(dir));
  }

  result(limits: Partial<EfficiencyLimits> = {}): EfficiencyReport {
    const { topPaths, topDirs } = { ...DEFAULT_EFFICIENCY_LIMITS, ...limits };
    this.applyPending();
    const visible = visibleNodes(this.tree.root);
    const layers = new Map<number, LayerEfficiency>(
      this.layerIndexes.map((index) => [index, { index, addedBytes: 0, addedFiles: 0, wastedBytes: 0, wastedFiles: 0 }]),
    );
    const byPath = new Map<string, WastedPath>();
    const dirs = new Map<string, DirectorySize>();
    let totalBytes = 0;
    let finalBytes = 0;
    for (const version of this.versions) {
      const stats = layers.get(version.layer)!;
      stats.addedBytes += version.size;
      stats.addedFiles += 1;
      totalBytes += version.size;
      const shownAt = firstVisible(version.holders, visible);
      const perPath = byPath.get(version.path) ?? { path: version.path, wastedBytes: 0, layers: [], removed: true };
      byPath.set(version.path, perPath);
      if (perPath.layers[perPath.layers.length - 1] !== version.layer) perPath.layers.push(version.layer);
      if (shownAt === undefined) {
        stats.wastedBytes += version.size;
        stats.wastedFiles += 1;
        perPath.wastedBytes += version.size;
        continue;
      }
      perPath.removed = false;
      finalBytes += version.size;
      tallyDirectories(dirs, shownAt, version.size);
    }
    const wastedPaths = [...byPath.values()]
      .filter((p) => p.wastedBytes > 0)
      .sort((a, b) => b.wastedBytes - a.wastedBytes || compare(a.path, b.path))
      .slice(0, topPaths);
    const largestDirs = [...dirs.values()].sort((a, b) => b.bytes - a.bytes || compare(a.path, b.path)).slice(0, topDirs);
    return {
      totalBytes,
      finalBytes,
      wastedBytes: totalBytes - finalBytes,
      efficiency: totalBytes === 0 ? 1 : finalBytes / totalBytes,
      layers: [...layers.values()],
      wastedPaths,
      largestDirs,
    };
  }

  private layer(): number {
    if (this.current < 0) throw new Error('efficiency: an entry was added before any layer');
    return this.current;
  }

  /** Whiteouts and opaque markers act on lower layers once the whole layer is in, as the walker applies them. */
  private applyPending(): void {
    for (const parts of this.opaques) this.tree.opaque(parts, this.current);
    for (const parts of this.whiteouts) this.tree.whiteout(parts, this.current);
    this.opaques = [];
    this.whiteouts = [];
  }
}

/** Every node of the final tree, with its absolute path. */
function visibleNodes(root: TreeNode): Map<TreeNode, string> {
  const found = new Map<TreeNode, string>();
  const stack: Array<[TreeNode, string]> = [[root, '']];
  while (stack.length > 0) {
    const [dir, prefix] = stack.pop()!;
    for (const [name, child] of dir.children!) {
      const path = `${prefix}/${name}`;
      found.set(child, path);
      if (child.children) stack.push([child, path]);
    }
  }
  return found;
}

function firstVisible(holders: TreeNode[], visible: Map<TreeNode, string>): string | undefined {
  for (const holder of holders) {
    const path = visible.get(holder);
    if (path !== undefined) return path;
  }
  return undefined;
}

function tallyDirectories(dirs: Map<string, DirectorySize>, filePath: string, size: number): void {
  for (let cut = filePath.indexOf('/', 1); cut > 0; cut = filePath.indexOf('/', cut + 1)) {
    const path = filePath.slice(0, cut);
    const dir = dirs.get(path) ?? { path, bytes: 0, files: 0 };
    dir.bytes += size;
    dir.files += 1;
    dirs.set(path, dir);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

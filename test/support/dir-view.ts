/**
 * A FileSystemView over plain directories, one per layer (later layers override earlier ones), for
 * detector tests that do not need real layer tars. Symlinks are followed inside the merged tree.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { FileInfo, FileSystemView, FileVersion, LayerInfo } from '../../src/image/types.js';

interface Entry {
  info: FileInfo;
  hostPath: string;
}

export function viewFromDirs(
  layerDirs: readonly string[],
  wants: (relativePath: string) => boolean,
  createdBy: readonly string[] = [],
): FileSystemView {
  const entries = new Map<string, Entry>();
  const history = new Map<string, FileVersion[]>();
  const layers: LayerInfo[] = layerDirs.map((_, index) => ({
    index,
    diffId: `sha256:${index.toString(16).padStart(64, '0')}`,
    digest: `sha256:${(index + 0x100).toString(16).padStart(64, '0')}`,
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    size: 0,
    ...(createdBy[index] !== undefined ? { createdBy: createdBy[index] } : {}),
  }));
  layerDirs.forEach((dir, layer) => {
    for (const [path, hostPath, info] of walk(dir, '/', layer)) {
      entries.set(path, { info, hostPath });
      if (info.type === 'file' && wants(path.slice(1))) {
        const versions = history.get(path) ?? [];
        versions.push({ layer, content: readFileSync(hostPath) });
        history.set(path, versions);
      }
    }
  });
  return new DirView(layers, entries, history);
}

function* walk(hostDir: string, dir: string, layer: number): Generator<[string, string, FileInfo]> {
  for (const name of readdirSync(hostDir).sort()) {
    const hostPath = join(hostDir, name);
    const path = posix.join(dir, name);
    const st = lstatSync(hostPath);
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'file';
    const info: FileInfo = { path, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, layer };
    if (type === 'symlink') info.linkTarget = readlinkSync(hostPath);
    yield [path, hostPath, info];
    if (type === 'dir') yield* walk(hostPath, path, layer);
  }
}

class DirView implements FileSystemView {
  constructor(
    readonly layers: readonly LayerInfo[],
    private readonly byPath: Map<string, Entry>,
    private readonly captured: Map<string, FileVersion[]>,
  ) {}

  stat(path: string, options?: { follow?: boolean }): FileInfo | undefined {
    const resolved = this.resolve(path, options?.follow ?? false);
    const entry = resolved === undefined ? undefined : this.byPath.get(resolved);
    return entry ? { ...entry.info, path: resolved as string } : undefined;
  }

  read(path: string): Buffer | undefined {
    const resolved = this.resolve(path, true);
    const versions = resolved === undefined ? undefined : this.captured.get(resolved);
    return versions?.[versions.length - 1]?.content ?? undefined;
  }

  history(path: string): FileVersion[] {
    const resolved = this.resolve(path, true);
    return resolved === undefined ? [] : [...(this.captured.get(resolved) ?? [])];
  }

  capturedPaths(): string[] {
    return [...this.captured.keys()].sort();
  }

  *entries(): Iterable<FileInfo> {
    for (const path of [...this.byPath.keys()].sort()) yield (this.byPath.get(path) as Entry).info;
  }

  list(dir: string): FileInfo[] {
    const resolved = this.resolve(dir, true);
    if (resolved === undefined) return [];
    return [...this.byPath.values()].map((e) => e.info).filter((i) => posix.dirname(i.path) === resolved && i.path !== '/');
  }

  /** Resolves symlinks in every parent (and the last part when `follow`); undefined when absent. */
  private resolve(path: string, follow: boolean, depth = 0): string | undefined {
    if (depth > 40) return undefined;
    const parts = posix.normalize(`/${path}`).split('/').filter(Boolean);
    let current = '/';
    for (const [i, part] of parts.entries()) {
      const next = posix.join(current, part);
      const entry = this.byPath.get(next);
      const last = i === parts.length - 1;
      if (entry?.info.type === 'symlink' && (!last || follow)) {
        const target = posix.resolve(current, entry.info.linkTarget ?? '');
        const rest = parts.slice(i + 1).join('/');
        return this.resolve(rest ? `${target}/${rest}` : target, follow, depth + 1);
      }
      current = next;
    }
    return this.byPath.has(current) || current === '/' ? current : undefined;
  }
}

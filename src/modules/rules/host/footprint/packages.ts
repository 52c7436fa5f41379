/**
 * The host's OS packages, read with the same os-release, dpkg, apk and rpm detectors as an image scan.
 * Only the files those detectors want are read (not a walk of the whole root, which on a host means
 * hundreds of thousands of files): each is resolved inside the root, symlinks included, and put into
 * a one-layer view at its resolved path, with a symlink where the asked path differs.
 */
import type { Notice, OsInfo, Package } from '../../../../core/package.js';
import { RootFs } from '../../../../host/rootfs.js';
import type { HostView } from '../../../../host/types.js';
import { FileTree } from '../../../../image/tree.js';
import { saveVersion, type ContentSink } from '../../../../image/content-sink.js';
import { LayeredView, type CaptureStore } from '../../../../image/view.js';
import { apkDetector } from '../../../detector/apk/index.js';
import { dpkgDetector } from '../../../detector/dpkg/index.js';
import { OS_RELEASE_PATHS, osReleaseDetector } from '../../../detector/os-release/index.js';
import { rpmDetector } from '../../../detector/rpm/index.js';
import type { DetectorModule } from '../../../detector/types.js';
import { runDetectors } from '../../../../scan/run-detectors.js';

export const HOST_PACKAGE_DETECTORS: readonly DetectorModule[] = [osReleaseDetector, dpkgDetector, apkDetector, rpmDetector];

/** A package database can be large (an rpmdb.sqlite of a full server is tens of MiB). */
const MAX_DB_BYTES = 256 * 1024 * 1024;

const FIXED_PATHS = [
  ...OS_RELEASE_PATHS,
  'var/lib/dpkg/status',
  'lib/apk/db/installed',
  ...['var/lib/rpm', 'usr/lib/sysimage/rpm'].flatMap((d) => ['rpmdb.sqlite', 'Packages.db', 'Packages'].map((f) => `${d}/${f}`)),
];

export interface HostPackages {
  os?: OsInfo;
  packages: Package[];
  notices: Notice[];
  /** Package databases found (host paths). */
  databases: string[];
}

type Sink = Pick<ContentSink, 'captures'>;

async function addFile(fs: RootFs, tree: FileTree, sink: Sink, hostPath: string): Promise<string | undefined> {
  const resolved = await fs.resolve(hostPath, true);
  if (!resolved) return undefined;
  const outcome = await fs.read(resolved.hostPath, MAX_DB_BYTES);
  if (outcome.status !== 'ok') return undefined;
  const parts = resolved.hostPath.split('/').filter(Boolean);
  tree.put(parts, { type: 'file', mode: 0o644, uid: 0, gid: 0, size: outcome.content.length, layer: 0 });
  saveVersion(sink.captures, resolved.hostPath, 0, outcome.content);
  if (resolved.hostPath !== hostPath) {
    tree.put(hostPath.split('/').filter(Boolean), { type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, layer: 0, linkTarget: resolved.hostPath });
  }
  return resolved.hostPath;
}

/** Reads the package databases under the view's root and runs the detectors over them. */
export async function readHostPackages(view: HostView): Promise<HostPackages> {
  const fs = new RootFs(view.root, MAX_DB_BYTES);
  const tree = new FileTree();
  const captures: CaptureStore = new Map();
  const wanted = [...FIXED_PATHS];
  for (const name of (await view.readdir('/var/lib/dpkg/status.d')) ?? []) wanted.push(`var/lib/dpkg/status.d/${name}`);
  const databases = new Set<string>();
  for (const rel of wanted) {
    if (!HOST_PACKAGE_DETECTORS.some((d) => d.wants(rel))) continue;
    const at = await addFile(fs, tree, { captures }, `/${rel}`);
    if (at && !rel.startsWith('etc/') && !rel.startsWith('usr/lib/os-release')) databases.add(at);
  }
  const layer = { index: 0, diffId: '', digest: '', mediaType: 'directory', size: 0 };
  const fsView = new LayeredView(tree, captures, [layer]);
  const { os, packages, notices } = await runDetectors(fsView, 'directory', [...HOST_PACKAGE_DETECTORS]);
  return { ...(os ? { os } : {}), packages, notices, databases: [...databases].sort() };
}

const cache = new WeakMap<HostView, Promise<HostPackages>>();
/** readHostPackages once per view, for every check that asks. */
export function hostPackages(view: HostView): Promise<HostPackages> {
  let p = cache.get(view);
  if (!p) cache.set(view, (p = readHostPackages(view)));
  return p;
}

/**
 * Drift (immutable infrastructure): a running container should only run what its image shipped. Four
 * checks over RuntimeEvents, reported whatever the baseline's state (learning or monitoring):
 *  1. exec of a file the image does not have              -> binary-not-in-image
 *  2. exec of an image file changed since the image        -> binary-modified
 *  3. a package manager run in the container               -> package-manager
 *  4. a write/rename/unlink/chmod below binary/library dirs -> write-below-binary-dir
 * Live files are read through /proc/<pid>/root while the process is alive (its cgroup is checked to be
 * the container's, so a reused pid is not trusted); otherwise paths resolve with the index's link targets.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { ContainerInfo, RuntimeEvent } from '../events.js';
import { DEFAULT_MAX_HASH_BYTES, normalizePath, type FileIndex, type IndexedFile } from './file-index.js';

export type DriftKind = 'binary-not-in-image' | 'binary-modified' | 'package-manager' | 'write-below-binary-dir';

/** The human title of each drift kind. */
export const DRIFT_TITLES: Record<DriftKind, string> = {
  'binary-not-in-image': 'binary not in image',
  'binary-modified': 'binary modified after start',
  'package-manager': 'package manager in running container',
  'write-below-binary-dir': 'write below binary dir',
};

export interface DriftFinding {
  kind: DriftKind;
  container: ContainerInfo;
  /** The container's image ID ("sha256:..."), when the event carries it. */
  imageId?: string;
  /** The file concerned, inside the container (for exec: the resolved executable). */
  path: string;
  reason: string;
  event: RuntimeEvent;
}

export const DEFAULT_PACKAGE_MANAGERS: readonly string[] = [
  'apt', 'apt-get', 'dpkg', 'rpm', 'yum', 'dnf', 'microdnf', 'apk', 'pip', 'pip3', 'npm', 'gem',
];

export const DEFAULT_BINARY_DIRS: readonly string[] = [
  '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin',
  '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/usr/local/lib',
];

const WRITE_TYPES = new Set(['open_write', 'rename', 'unlink', 'chmod']);

export interface DriftOptions {
  /** Where the host's procfs is mounted (default /proc). */
  procRoot?: string;
  /** Live executables up to this size are hashed when the index has a hash (default: the index's bound). */
  maxHashBytes?: number;
  packageManagers?: readonly string[];
  binaryDirs?: readonly string[];
  /** Check /proc/<pid>/cgroup names the container before trusting /proc/<pid>/root (default true). */
  verifyCgroup?: boolean;
  /** Told when the image index cannot be had; without it the error is thrown from check(). */
  onError?: (error: unknown, event: RuntimeEvent) => void;
}

interface LiveFile {
  /** Path inside the container after resolving symlinks through /proc/<pid>/root. */
  path: string;
  /** Host path of the file through /proc/<pid>/root. */
  hostPath: string;
  exists: boolean;
}

const MAX_LINK_HOPS = 40;
const HASH_CACHE_LIMIT = 4096;

/** Resolves `path` inside `root` component by component, absolute link targets staying inside the root. */
export async function resolveInRoot(root: string, path: string): Promise<LiveFile> {
  const done: string[] = [];
  const pending = path.split('/').filter((p) => p !== '' && p !== '.').reverse();
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const inside = `/${[...done, part].join('/')}`;
    let info;
    try {
      info = await lstat(root + inside);
    } catch {
      done.push(part, ...pending.reverse());
      const rest = `/${done.join('/')}`;
      return { path: rest, hostPath: root + rest, exists: false };
    }
    if (info.isSymbolicLink() && hops++ < MAX_LINK_HOPS) {
      const target = await readlink(root + inside);
      if (target.startsWith('/')) done.length = 0;
      pending.push(...target.split('/').filter((p) => p !== '' && p !== '.').reverse());
      continue;
    }
    done.push(part);
  }
  const finalPath = `/${done.join('/')}`;
  return { path: finalPath, hostPath: root + finalPath, exists: true };
}

/** ISO 8601 (nanosecond precision as the engine writes it) -> ns since the epoch; undefined for the zero time. */
export function isoToNs(iso: string | undefined): bigint | undefined {
  if (!iso) return undefined;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms) || ms <= 0) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

function nsToIso(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

export class DriftDetector {
  private readonly procRoot: string;
  private readonly packageManagers: ReadonlySet<string>;
  private readonly binaryDirs: readonly string[];
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly index: (imageId: string) => Promise<FileIndex>,
    private readonly options: DriftOptions = {},
  ) {
    this.procRoot = options.procRoot ?? '/proc';
    this.packageManagers = new Set(options.packageManagers ?? DEFAULT_PACKAGE_MANAGERS);
    this.binaryDirs = (options.binaryDirs ?? DEFAULT_BINARY_DIRS).map(normalizePath);
  }

  /** Whether check() can find anything in this event (an exec or a file change in a container). */
  examines(event: RuntimeEvent): boolean {
    return event.container !== undefined && ((event.type === 'exec' && event.proc !== undefined) || (WRITE_TYPES.has(event.type) && event.file !== undefined));
  }

  async check(event: RuntimeEvent): Promise<DriftFinding[]> {
    const container = event.container;
    if (!container || !this.examines(event)) return [];
    const findings: DriftFinding[] = [];
    const add = (kind: DriftKind, path: string, reason: string): void => {
      findings.push({ kind, container, ...(container.imageId ? { imageId: container.imageId } : {}), path, reason, event });
    };
    if (event.type === 'exec' && event.proc) await this.checkExec(event, container, add);
    if (WRITE_TYPES.has(event.type) && event.file) await this.checkWrite(event, container, add);
    return findings;
  }

  private async loadIndex(imageId: string | undefined, event: RuntimeEvent): Promise<FileIndex | undefined> {
    if (!imageId) return undefined;
    try {
      return await this.index(imageId);
    } catch (e) {
      if (!this.options.onError) throw e;
      this.options.onError(e, event);
      return undefined;
    }
  }

  /** /proc/<pid>/root when the pid is alive and (unless disabled) in the container's cgroup. */
  private async liveRoot(pid: number, containerId: string): Promise<string | undefined> {
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const base = `${this.procRoot}/${pid}`;
    try {
      if (this.options.verifyCgroup ?? true) {
        const cgroup = await readFile(`${base}/cgroup`, 'utf8');
        if (!cgroup.includes(containerId)) return undefined;
      }
      await stat(`${base}/root/`);
      return `${base}/root`;
    } catch {
      return undefined;
    }
  }

  private async checkExec(event: RuntimeEvent, container: ContainerInfo, add: (k: DriftKind, p: string, r: string) => void): Promise<void> {
    const proc = event.proc!;
    const root = await this.liveRoot(proc.pid, container.id);
    let exepath = proc.exepath ?? (proc.args?.[0]?.startsWith('/') ? proc.args[0] : undefined);
    if (!exepath && root) {
      try {
        exepath = (await readlink(`${this.procRoot}/${proc.pid}/exe`)).replace(/ \(deleted\)$/, '');
      } catch {
        // gone
      }
    }
    const index = exepath ? await this.loadIndex(container.imageId, event) : undefined;
    let resolved = exepath ? normalizePath(exepath) : undefined;
    if (exepath && index) {
      let live: LiveFile | undefined;
      if (root) {
        try {
          live = await resolveInRoot(root, exepath);
        } catch {
          live = undefined;
        }
      }
      const fromIndex = index.resolve(live?.path ?? exepath);
      resolved = fromIndex.path;
      const entry = fromIndex.entry;
      const shown = resolved === normalizePath(exepath) ? resolved : `${exepath} -> ${resolved}`;
      if (!entry || (entry.type !== 'file' && entry.type !== 'hardlink')) {
        const what = entry ? `a ${entry.type}` : 'absent';
        add('binary-not-in-image', resolved, `${shown} was executed but is ${what} in image ${index.imageId}`);
      } else if (live?.exists) {
        const reasons = await this.compareLive(live.hostPath, entry, container, index.maxHashBytes);
        if (reasons.length) add('binary-modified', resolved, `${shown} differs from image ${index.imageId}: ${reasons.join('; ')}`);
      }
    }
    const manager = this.packageManager(event, resolved);
    if (manager) add('package-manager', resolved ?? manager, `package manager ${manager} ran in container ${container.name ?? container.id.slice(0, 12)}`);
  }

  private async compareLive(hostPath: string, entry: IndexedFile, container: ContainerInfo, indexHashBytes: number): Promise<string[]> {
    let info;
    try {
      info = await stat(hostPath, { bigint: true });
    } catch {
      return [];
    }
    const reasons: string[] = [];
    if (!info.isFile()) return [`not a regular file in the container`];
    const size = Number(info.size);
    if (size !== entry.size) reasons.push(`size ${size} in the container, ${entry.size} in the image`);
    const maxHash = Math.min(this.options.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES, indexHashBytes);
    if (entry.sha256 && size === entry.size && size <= maxHash) {
      const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
      let live = this.hashes.get(key);
      if (!live) {
        try {
          live = await sha256File(hostPath);
          if (this.hashes.size >= HASH_CACHE_LIMIT) this.hashes.clear();
          this.hashes.set(key, live);
        } catch {
          live = undefined;
        }
      }
      if (live && live !== entry.sha256) reasons.push(`sha256 ${live.slice(0, 12)} in the container, ${entry.sha256.slice(0, 12)} in the image`);
    }
    const started = isoToNs(container.startedAt);
    if (started !== undefined) {
      if (info.mtimeNs > started) reasons.push(`modified ${nsToIso(info.mtimeNs)}, after the container started ${container.startedAt}`);
      else if (info.ctimeNs > started) reasons.push(`changed ${nsToIso(info.ctimeNs)}, after the container started ${container.startedAt}`);
    }
    return reasons;
  }

  private packageManager(event: RuntimeEvent, resolved: string | undefined): string | undefined {
    const proc = event.proc!;
    const names = [resolved, proc.exepath, proc.args?.[0], proc.name].filter((n): n is string => !!n).map((n) => posix.basename(n));
    const hit = names.find((n) => this.packageManagers.has(n));
    if (hit) return hit;
    // python -m pip / python3 -m pip
    const args = proc.args ?? [];
    const m = args.indexOf('-m');
    if (m >= 0 && /^python[0-9.]*$/.test(posix.basename(args[0] ?? proc.name)) && /^pip[0-9.]*$/.test(args[m + 1] ?? '')) return `${posix.basename(args[0]!)} -m ${args[m + 1]}`;
    return undefined;
  }

  private async checkWrite(event: RuntimeEvent, container: ContainerInfo, add: (k: DriftKind, p: string, r: string) => void): Promise<void> {
    const file = event.file!;
    const paths = [file.path, ...(event.type === 'rename' && file.target ? [file.target] : [])];
    const index = this.binaryDirs.length ? await this.indexQuietly(container.imageId) : undefined;
    for (const raw of paths) {
      const lexical = normalizePath(raw);
      // A symlinked parent (e.g. /bin -> usr/bin, or a link an image adds) resolves with the image's links.
      const resolved = index ? index.resolve(posix.dirname(lexical)).path : posix.dirname(lexical);
      const candidates = [lexical, normalizePath(`${resolved}/${posix.basename(lexical)}`)];
      const dir = this.binaryDirs.find((d) => candidates.some((p) => p === d || p.startsWith(`${d}/`)));
      if (dir) {
        add('write-below-binary-dir', lexical, `${event.type} of ${lexical} below ${dir} by ${event.proc?.name ?? 'unknown process'}${event.proc ? ` (pid ${event.proc.pid})` : ''}`);
        return;
      }
    }
  }

  /** The index for path resolution of writes, where a missing index only means lexical matching. */
  private async indexQuietly(imageId: string | undefined): Promise<FileIndex | undefined> {
    if (!imageId) return undefined;
    try {
      return await this.index(imageId);
    } catch {
      return undefined;
    }
  }
}

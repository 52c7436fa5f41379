/** How section 3 finds and judges Docker's files: paths, ownership and "this mode or more restrictive". */
import { stringSetting, booleanSetting, listSetting } from '../../../../host/daemon-config.js';
import type { HostFileStat, HostView } from '../../../../host/types.js';
import { DEFAULT_DAEMON_JSON } from '../../../../host/view.js';

export type Wanted = 'file' | 'dir' | 'socket';

export interface FoundFile {
  /** The host path as looked up. */
  path: string;
  stat: HostFileStat;
}

/** Where systemd looks for units, most specific first. */
export const SYSTEMD_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

/**
 * The existing paths among candidates that are of the wanted type, symlinks followed inside the root,
 * each real file once (on merged-/usr systems /lib/systemd/system and /usr/lib/systemd/system are one).
 */
export async function findExisting(view: HostView, candidates: readonly string[], wanted: Wanted): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const seen = new Set<string>();
  for (const path of candidates) {
    const stat = await view.stat(path);
    if (!stat || stat.type !== wanted) continue;
    const resolve = view.resolvePath;
    const key = (resolve ? await resolve(path) : undefined) ?? path;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ path, stat });
  }
  return found;
}

export function unitCandidates(unit: string): string[] {
  return SYSTEMD_UNIT_DIRS.map((d) => `${d}/${unit}`);
}

/** Owner and group by id: root:root means uid 0 and gid 0. */
export function ownedByRootRoot(stat: HostFileStat): boolean {
  return stat.uid === 0 && stat.gid === 0;
}

/** Owner and group by name, as `stat -c %U:%G` prints them (ids when the root's passwd/group lack them). */
export function ownerNames(stat: HostFileStat): string {
  return `${stat.user ?? stat.uid}:${stat.group ?? stat.gid}`;
}

/** True when the mode grants nothing beyond `allowed` (special bits included). */
export function atMost(stat: HostFileStat, allowed: number): boolean {
  return (stat.mode & 0o7777 & ~allowed) === 0;
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, '0');
}

/** The daemon's TLS file for a flag (tlscacert, tlscert, tlskey): as set, else dockerd's default when TLS is on. */
export function tlsFile(view: HostView, flag: 'tlscacert' | 'tlscert' | 'tlskey'): string | undefined {
  const set = stringSetting(view, flag);
  if (set !== undefined) return set;
  const tlsOn = booleanSetting(view, 'tls') === true || booleanSetting(view, 'tlsverify') === true;
  if (!tlsOn) return undefined;
  const base = { tlscacert: 'ca.pem', tlscert: 'cert.pem', tlskey: 'key.pem' }[flag];
  return `/root/.docker/${base}`;
}

/** The Docker sockets: the default one and every unix:// address the daemon listens on. */
export function dockerSockets(view: HostView): string[] {
  const hosts = listSetting(view, 'host')
    .filter((h) => h.startsWith('unix://'))
    .map((h) => h.slice('unix://'.length));
  return unique(['/var/run/docker.sock', ...hosts]);
}

/** containerd sockets: the system one, --containerd when set, and the one dockerd manages under its exec-root. */
export function containerdSockets(view: HostView): string[] {
  const configured = stringSetting(view, 'containerd');
  const execRoot = stringSetting(view, 'exec-root') ?? '/var/run/docker';
  return unique([
    '/run/containerd/containerd.sock',
    ...(configured ? [configured.replace(/^unix:\/\//, '')] : []),
    `${execRoot.replace(/\/+$/, '')}/containerd/containerd.sock`,
  ]);
}

export function daemonJsonPath(view: HostView): string {
  return view.daemonJsonPath ?? DEFAULT_DAEMON_JSON;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Regular files under a directory (symlinked files followed, symlinked directories not), bounded. */
export async function filesUnder(view: HostView, dir: string, limit = 10_000, depth = 8): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  const walk = async (path: string, level: number): Promise<void> => {
    if (level > depth || out.length >= limit) return;
    const entries = await view.readdir(path);
    if (!entries) return;
    for (const name of entries) {
      if (out.length >= limit) return;
      const child = `${path.replace(/\/+$/, '')}/${name}`;
      const l = await view.lstat(child);
      if (!l) continue;
      if (l.type === 'dir') await walk(child, level + 1);
      else if (l.type === 'file') out.push({ path: child, stat: l });
      else if (l.type === 'symlink') {
        const s = await view.stat(child);
        if (s?.type === 'file') out.push({ path: child, stat: s });
      }
    }
  };
  await walk(dir, 0);
  return out;
}

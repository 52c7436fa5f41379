/** CIS 1.1.1: the Docker root directory is a mount point of its own, not a directory of the root filesystem. */
import { stringSetting } from '../../../../host/daemon-config.js';
import type { HostView } from '../../../../host/types.js';
import { CIS_REFERENCE, defineCheck, DOCKER_BENCH_REFERENCE, readText, result } from './define.js';

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
}

/** fstab and /proc/mounts escape blanks in fields as octal (\040). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** /proc/mounts or /etc/fstab: "source target fstype options ...", comments and blanks skipped. */
export function parseMounts(text: string): MountEntry[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const f = line.split(/\s+/);
    if (f.length < 3) return [];
    return [{ source: unescape(f[0]!), target: unescape(f[1]!).replace(/(.)\/+$/, '$1'), fstype: f[2]! }];
  });
}

/** The Docker root: DockerRootDir from the engine, else --data-root / daemon.json, else the default; with userns-remap its parent. */
export function dockerRootDir(view: HostView): { dir: string; from: string } {
  const info = view.engine?.info;
  let dir: string;
  let from: string;
  if (typeof info?.DockerRootDir === 'string' && info.DockerRootDir !== '') {
    dir = info.DockerRootDir;
    from = 'docker info DockerRootDir';
  } else {
    const configured = stringSetting(view, 'data-root') ?? stringSetting(view, 'graph');
    dir = configured ?? '/var/lib/docker';
    from = configured ? 'dockerd data-root' : 'default';
  }
  // With user namespaces the root is <data-root>/<uid>.<gid>: the partition question is about its parent.
  const userns = Array.isArray(info?.SecurityOptions) && info.SecurityOptions.some((o: unknown) => typeof o === 'string' && o.includes('name=userns'));
  if (userns || (!info && stringSetting(view, 'userns-remap'))) {
    if (/\/\d+\.\d+$/.test(dir)) dir = dir.replace(/\/[^/]+$/, '');
  }
  return { dir: dir.length > 1 ? dir.replace(/\/+$/, '') : dir, from };
}

export const partitionCheck = defineCheck(
  {
    id: '1.1.1',
    title: 'Ensure a separate partition for containers has been created (Automated)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale:
      'Docker keeps images, containers and volumes under its root directory (/var/lib/docker by default). On the root filesystem, a container that fills its writable layer or a volume fills the host\'s root filesystem and can stop the host.',
    remediation:
      'Create a separate partition (or logical volume) for the Docker root directory and mount it there (an /etc/fstab entry); on an installed system, LVM can provide it.',
    references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE],
    // DockerRootDir comes from the Engine API when there is one; without a daemon the data-root setting or the default is used.
    needsEngine: false,
  },
  async (view) => {
    const { dir, from } = dockerRootDir(view);
    const proc = await readText(view, '/proc/mounts');
    const fstab = proc === undefined ? await readText(view, '/etc/fstab') : undefined;
    if (proc === undefined && fstab === undefined) return result('INFO', `neither /proc/mounts nor /etc/fstab can be read: ${dir} not checked`);
    const table = proc !== undefined ? '/proc/mounts' : '/etc/fstab';
    const mounts = parseMounts(proc ?? fstab!);
    // The last mount on a path is the one in effect.
    const own = mounts.filter((m) => m.target === dir).at(-1);
    if (!own) return result('WARN', `${dir} (${from}) is not a mount point in ${table}`, [dir]);
    const root = mounts.filter((m) => m.target === '/').at(-1);
    const pseudo = new Set(['none', 'overlay', 'tmpfs']);
    if (root && root.source === own.source && !pseudo.has(own.source) && own.source.startsWith('/')) {
      return result('WARN', `${dir} (${from}) is mounted from ${own.source}, the device of the root filesystem: a bind mount, not a separate partition`, [dir]);
    }
    return result('PASS', `${dir} (${from}) is mounted from ${own.source} (${own.fstype}), per ${table}`);
  },
);

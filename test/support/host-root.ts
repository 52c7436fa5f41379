/**
 * Prepared host trees for `bulwark host --root`: real files, directories, unix sockets and symlinks
 * under a temp directory, with owners set by chown (tests run as root) and modes by chmod.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, lchown, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type TreeEntry =
  | { path: string; type?: 'file'; content?: string | Buffer; mode?: number; uid?: number; gid?: number; /** sparse size */ size?: number }
  | { path: string; type: 'dir'; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'socket'; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'fifo'; mode?: number }
  | { path: string; type: 'symlink'; target: string; uid?: number; gid?: number };

export interface HostRoot {
  root: string;
  /** The real path of a host path in the tree. */
  at(path: string): string;
  cleanup(): Promise<void>;
}

export const ALICE = 1000;
export const DOCKER_GID = 999;

export const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n';
export const GROUP = 'root:x:0:\ndocker:x:999:alice\nalice:x:1000:\n';

/** Builds a tree. Parent directories are made 0755 root:root unless listed themselves. */
export async function makeHostRoot(entries: readonly TreeEntry[]): Promise<HostRoot> {
  const root = await mkdtemp(join(tmpdir(), 'bw-hostroot-'));
  await chmod(root, 0o755);
  const at = (path: string): string => join(root, path);
  for (const entry of entries) {
    const real = at(entry.path);
    await mkdir(dirname(real), { recursive: true, mode: 0o755 });
    switch (entry.type) {
      case 'dir':
        await mkdir(real, { recursive: true });
        break;
      case 'symlink':
        await symlink(entry.target, real);
        await lchown(real, entry.uid ?? 0, entry.gid ?? 0);
        continue;
      case 'socket':
        // A bound unix socket stays in the file system after the binding process exits.
        execFileSync('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])', real]);
        break;
      case 'fifo':
        execFileSync('mkfifo', [real]);
        break;
      default:
        await writeFile(real, entry.content ?? '');
        if (entry.size !== undefined) await truncate(real, entry.size);
    }
    if (entry.type !== 'fifo') await chown(real, entry.uid ?? 0, entry.gid ?? 0);
    await chmod(real, entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644));
  }
  return { root, at, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A socket, for spec tables. */
const sock = (path: string, mode: number, uid: number, gid: number): TreeEntry => ({ path, type: 'socket', mode, uid, gid });

const TLS_JSON = JSON.stringify({
  hosts: ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2376'],
  tlsverify: true,
  tlscacert: '/etc/docker/tls/ca.pem',
  tlscert: '/etc/docker/tls/cert.pem',
  tlskey: '/etc/docker/tls/key.pem',
});

/** Every section 3 file present, root-owned (the socket root:docker), modes as CIS wants. */
export function rightTree(): TreeEntry[] {
  return [
    { path: '/etc/passwd', content: PASSWD },
    { path: '/etc/group', content: GROUP },
    { path: '/run', type: 'dir' },
    { path: '/var/run', type: 'symlink', target: '../run' },
    { path: '/lib/systemd/system/docker.service', content: '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n', mode: 0o644 },
    { path: '/etc/systemd/system/docker.socket', content: '[Socket]\nListenStream=/run/docker.sock\n', mode: 0o600 },
    { path: '/etc/docker', type: 'dir', mode: 0o755 },
    { path: '/etc/docker/certs.d/registry.example:5000/ca.crt', content: 'cert', mode: 0o444 },
    { path: '/etc/docker/certs.d/registry.example:5000/client.key', content: 'key', mode: 0o400 },
    { path: '/etc/docker/daemon.json', content: TLS_JSON, mode: 0o644 },
    { path: '/etc/docker/tls/ca.pem', content: 'ca', mode: 0o444 },
    { path: '/etc/docker/tls/cert.pem', content: 'cert', mode: 0o444 },
    { path: '/etc/docker/tls/key.pem', content: 'key', mode: 0o400 },
    sock('/run/docker.sock', 0o660, 0, DOCKER_GID),
    { path: '/etc/default/docker', content: 'DOCKER_OPTS=""\n', mode: 0o644 },
    { path: '/etc/sysconfig/docker', content: 'OPTIONS=""\n', mode: 0o600 },
    sock('/run/containerd/containerd.sock', 0o660, 0, 0),
  ];
}

/** The same files, each with a wrong owner and a wrong mode. */
export function wrongTree(): TreeEntry[] {
  return [
    { path: '/etc/passwd', content: PASSWD },
    { path: '/etc/group', content: GROUP },
    { path: '/run', type: 'dir' },
    { path: '/var/run', type: 'symlink', target: '/run' },
    { path: '/lib/systemd/system/docker.service', content: '[Service]\n', mode: 0o664, uid: ALICE, gid: ALICE },
    { path: '/etc/systemd/system/docker.socket', content: '[Socket]\n', mode: 0o646, uid: 0, gid: ALICE },
    { path: '/etc/docker', type: 'dir', mode: 0o775, uid: 0, gid: ALICE },
    { path: '/etc/docker/certs.d/registry.example:5000/ca.crt', content: 'cert', mode: 0o644, uid: ALICE, gid: 0 },
    { path: '/etc/docker/daemon.json', content: TLS_JSON, mode: 0o666, uid: ALICE, gid: ALICE },
    { path: '/etc/docker/tls/ca.pem', content: 'ca', mode: 0o644, uid: ALICE, gid: 0 },
    { path: '/etc/docker/tls/cert.pem', content: 'cert', mode: 0o666, uid: 0, gid: ALICE },
    { path: '/etc/docker/tls/key.pem', content: 'key', mode: 0o600, uid: ALICE, gid: ALICE },
    sock('/run/docker.sock', 0o666, 0, 0),
    { path: '/etc/default/docker', content: '', mode: 0o664, uid: ALICE, gid: 0 },
    { path: '/etc/sysconfig/docker', content: '', mode: 0o4644, uid: 0, gid: ALICE },
    sock('/run/containerd/containerd.sock', 0o666, 0, DOCKER_GID),
  ];
}

/** A process table: /proc/<pid>/cmdline files (a mounted host's /proc seen as plain files). */
export function procEntries(processes: Record<number, string[]>): TreeEntry[] {
  return Object.entries(processes).map(([pid, argv]) => ({
    path: `/proc/${pid}/cmdline`,
    content: argv.map((a) => `${a}\0`).join(''),
    mode: 0o444,
  }));
}

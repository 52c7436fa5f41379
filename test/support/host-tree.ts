/**
 * Prepared --root trees for the host checks: real files, directories, symlinks (fd links as
 * "socket:[inode]") and unix sockets under a temporary directory, read through the real buildHostView.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildHostView } from '../../src/host/view.js';
import type { EngineFacts, HostView } from '../../src/host/types.js';

/** A file's content, a directory, a symlink, or a file with a mode. */
export type TreeEntry = string | { dir: true } | { symlink: string } | { content: string; mode: number };

export interface HostTree {
  root: string;
  /** Writes more entries. */
  add(entries: Record<string, TreeEntry>): void;
  /** A listening unix socket at a host path, with owner, group and mode. */
  socket(path: string, uid: number, gid: number, mode: number): Promise<void>;
  view(engine?: EngineFacts): Promise<HostView>;
  cleanup(): Promise<void>;
}

export function hostTree(entries: Record<string, TreeEntry> = {}): HostTree {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-host-'));
  const servers: Server[] = [];
  const add = (more: Record<string, TreeEntry>): void => {
    for (const [path, entry] of Object.entries(more)) {
      const real = join(root, path);
      if (typeof entry === 'object' && 'dir' in entry) {
        mkdirSync(real, { recursive: true });
        continue;
      }
      mkdirSync(dirname(real), { recursive: true });
      if (typeof entry === 'object' && 'symlink' in entry) {
        symlinkSync(entry.symlink, real);
      } else if (typeof entry === 'object') {
        writeFileSync(real, entry.content);
        chmodSync(real, entry.mode);
      } else {
        writeFileSync(real, entry);
      }
    }
  };
  add(entries);
  return {
    root,
    add,
    async socket(path, uid, gid, mode) {
      const real = join(root, path);
      mkdirSync(dirname(real), { recursive: true });
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(real, resolve));
      servers.push(server);
      chownSync(real, uid, gid);
      chmodSync(real, mode);
    },
    view: (engine) => buildHostView({ root, ...(engine ? { engine } : {}) }),
    async cleanup() {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Engine facts with only what a check reads filled in. */
export function engineFacts(facts: { info?: Record<string, any>; version?: Record<string, any> }): EngineFacts {
  return { address: 'unix:///var/run/docker.sock', info: facts.info ?? {}, version: facts.version ?? {}, images: [], containers: [], inspects: [], calls: 0 };
}

export const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\ncarol:x:1002:999::/home/carol:/bin/bash\n';
export const GROUP = 'root:x:0:\nalice:x:1000:\ndocker:x:999:alice,bob\n';

/** /proc/net/tcp header and one row: address and port as the kernel prints them (x86, little-endian words). */
export const NET_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
export function netRow(n: number, local: string, remote: string, state: string, inode: number): string {
  return `   ${n}: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}
export const UNIX_HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path\n';
export function unixRow(inode: number, path: string, listening = true): string {
  return `0000000000000000: 00000002 00000000 ${listening ? '00010000' : '00000000'} 0001 01 ${inode} ${path}\n`;
}

/** A process under <root>/proc: comm, cmdline and fd links to socket inodes. */
export function proc(pid: number, comm: string, inodes: readonly number[]): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {
    [`proc/${pid}/comm`]: `${comm}\n`,
    [`proc/${pid}/cmdline`]: `/usr/sbin/${comm}\0`,
    [`proc/${pid}/fd/0`]: { symlink: '/dev/null' },
  };
  inodes.forEach((inode, i) => (out[`proc/${pid}/fd/${i + 3}`] = { symlink: `socket:[${inode}]` }));
  return out;
}

/** A dpkg status database listing these installed packages. */
export function dpkgStatus(packages: ReadonlyArray<readonly [string, string]>): string {
  return packages.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\nArchitecture: amd64\n`).join('\n');
}

export const DEBIAN_OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

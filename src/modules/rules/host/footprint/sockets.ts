/**
 * Listening sockets from <root>/proc/net/{tcp,tcp6,udp,udp6} and the processes holding them, found
 * through the socket:[inode] links in <root>/proc/<pid>/fd. The tables are those of the network
 * namespace /proc/net points at (the reading process's, for the live root).
 */
import { readlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { HostView } from '../../../../host/types.js';
import { readText } from '../section1/define.js';

export interface SocketOwner {
  pid: number;
  name: string;
}

export interface ListeningSocket {
  protocol: 'tcp' | 'udp' | 'unix';
  /** Printable address: "0.0.0.0", "::", "127.0.0.1", "::ffff:10.0.0.1"; the socket path for unix. */
  address: string;
  /** 0 for unix sockets. */
  port: number;
  inode: number;
  owners: SocketOwner[];
}

const TABLES: ReadonlyArray<{ file: string; protocol: 'tcp' | 'udp'; v6: boolean }> = [
  { file: '/proc/net/tcp', protocol: 'tcp', v6: false },
  { file: '/proc/net/tcp6', protocol: 'tcp', v6: true },
  { file: '/proc/net/udp', protocol: 'udp', v6: false },
  { file: '/proc/net/udp6', protocol: 'udp', v6: true },
];

const TCP_LISTEN = '0A';
/** An unconnected UDP socket is reported in state 07 (TCP_CLOSE) with a zero remote address. */
const UDP_UNCONNECTED = '07';

/** The kernel prints each 32-bit word of an address in host byte order. */
function wordBytes(hex: string, little: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return little ? bytes.reverse() : bytes;
}

export function decodeAddress(hex: string, little = endianness() === 'LE'): string | undefined {
  if (/^[0-9A-Fa-f]{8}$/.test(hex)) return wordBytes(hex, little).join('.');
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), little));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => ((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups (two or more), as inet_ntop does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The listening (TCP) and bound unconnected (UDP) entries of one /proc/net table. */
export function parseNetTable(text: string, protocol: 'tcp' | 'udp', little = endianness() === 'LE'): Array<Omit<ListeningSocket, 'owners'>> {
  const out: Array<Omit<ListeningSocket, 'owners'>> = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [localAddr, localPort] = f[1]!.split(':');
    const [remoteAddr] = f[2]!.split(':');
    const state = f[3]!.toUpperCase();
    if (protocol === 'tcp' && state !== TCP_LISTEN) continue;
    if (protocol === 'udp' && (state !== UDP_UNCONNECTED || !/^0+$/.test(remoteAddr ?? ''))) continue;
    const address = decodeAddress(localAddr ?? '', little);
    const port = parseInt(localPort ?? '', 16);
    const inode = Number(f[9]);
    if (!address || !Number.isFinite(port) || !Number.isInteger(inode)) continue;
    out.push({ protocol, address, port, inode });
  }
  return out;
}

/** __SO_ACCEPTCON in /proc/net/unix's Flags column: a listening socket. */
const UNIX_ACCEPTCON = 0x10000;

/** Listening unix sockets bound to a path (abstract and unnamed ones left out) from /proc/net/unix. */
export function parseUnixTable(text: string): Array<Omit<ListeningSocket, 'owners'>> {
  const out: Array<Omit<ListeningSocket, 'owners'>> = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3]!, 16);
    const path = f.slice(7).join(' ');
    if (!(flags & UNIX_ACCEPTCON) || !path.startsWith('/')) continue;
    const inode = Number(f[6]);
    if (!Number.isInteger(inode)) continue;
    out.push({ protocol: 'unix', address: path, port: 0, inode });
  }
  return out;
}

/** socket inode -> processes holding it, from the fd links of every process under <root>/proc. */
export async function socketOwners(view: HostView): Promise<Map<number, SocketOwner[]>> {
  const owners = new Map<number, SocketOwner[]>();
  const pids = ((await view.readdir('/proc')) ?? []).filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    const fds = await view.readdir(`/proc/${pid}/fd`);
    if (!fds || fds.length === 0) continue;
    let name: string | undefined;
    for (const fd of fds) {
      let target: string;
      try {
        // HostView has no readlink: the fd links are read where the root puts them (they are never followed).
        target = await readlink(join(view.root, 'proc', String(pid), 'fd', fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (!m) continue;
      name ??= await processName(view, pid);
      const inode = Number(m[1]);
      const list = owners.get(inode) ?? [];
      if (!list.some((o) => o.pid === pid)) list.push({ pid, name });
      owners.set(inode, list);
    }
  }
  return owners;
}

async function processName(view: HostView, pid: number): Promise<string> {
  const comm = (await readText(view, `/proc/${pid}/comm`))?.trim();
  if (comm) return comm;
  const argv0 = (await readText(view, `/proc/${pid}/cmdline`))?.split('\0')[0];
  return argv0 ? argv0.split('/').pop()! : '?';
}

export interface SocketTable {
  sockets: ListeningSocket[];
  /** Which /proc/net tables were read. */
  tables: string[];
}

/** Every listening socket, sorted by protocol, port and address. */
export async function listeningSockets(view: HostView): Promise<SocketTable> {
  const sockets: ListeningSocket[] = [];
  const tables: string[] = [];
  for (const t of TABLES) {
    const text = await readText(view, t.file);
    if (text === undefined) continue;
    tables.push(t.file);
    for (const s of parseNetTable(text, t.protocol)) sockets.push({ ...s, owners: [] });
  }
  const unix = await readText(view, '/proc/net/unix');
  if (unix !== undefined) {
    tables.push('/proc/net/unix');
    for (const s of parseUnixTable(unix)) sockets.push({ ...s, owners: [] });
  }
  if (sockets.length > 0) {
    const owners = await socketOwners(view);
    for (const s of sockets) s.owners = owners.get(s.inode) ?? [];
  }
  sockets.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port || a.address.localeCompare(b.address));
  return { sockets, tables };
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0';
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** "tcp 0.0.0.0:22 sshd (pid 123)", "tcp [::]:80 nginx (pid 10, 11)", "unix /run/docker.sock dockerd (pid 7)". */
export function describeSocket(s: ListeningSocket): string {
  const host = s.protocol === 'unix' ? s.address : s.address.includes(':') ? `[${s.address}]` : s.address;
  const byName = new Map<string, number[]>();
  for (const o of s.owners) byName.set(o.name, [...(byName.get(o.name) ?? []), o.pid]);
  const who =
    byName.size === 0
      ? 'no process found'
      : [...byName].map(([name, pids]) => `${name} (pid ${pids.slice(0, 3).join(', ')}${pids.length > 3 ? ', ...' : ''})`).join(', ');
  return `${s.protocol} ${s.protocol === 'unix' ? host : `${host}:${s.port}`} ${who}`;
}

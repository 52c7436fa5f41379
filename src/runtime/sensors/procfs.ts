/** Small readers of /proc shared by the sensors. Every reader returns undefined when the pid is gone. */
import { closeSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';

export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readLink(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch {
    return undefined;
  }
}

/**
 * Synchronous twins of readText/readLink for the /proc sensor's poll: a /proc read is served from
 * kernel memory in microseconds, and the promise versions cost 2-3x the CPU (a thread-pool round trip
 * per call, and open + fstat + read + close as separate trips for readFile).
 */
export function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readLinkSync(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/**
 * A /proc file kept open and re-read from offset 0 each time (a pread: one syscall instead of open,
 * fstat, read, close; no allocation but the returned string). Reopens after an error; for small files
 * (up to 16 KiB: loadavg, uptime, net/snmp, net/sockstat). A net/ file opened through a pid stays bound
 * to that pid's network namespace (and keeps it alive) until closed.
 */
export class ProcFile {
  private fd: number | undefined;
  private static readonly buffer = Buffer.alloc(16_384);

  constructor(readonly path: string) {}

  read(): string | undefined {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.fd ??= openSync(this.path, 'r');
        const n = readSync(this.fd, ProcFile.buffer, 0, ProcFile.buffer.length, 0);
        return ProcFile.buffer.toString('utf8', 0, n);
      } catch {
        this.close();
      }
    }
    return undefined;
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    this.fd = undefined;
  }
}

/**
 * The task-set fingerprint of /proc/loadavg: its 4th field's total ("running/total" threads, a global
 * count) and its 5th, the last pid allocated in the reader's pid namespace. A fork (or clone of a
 * thread) allocates a pid there, in every ancestor namespace too, and an exit lowers the total, so
 * while this is unchanged no process was created or ended (an exec changes neither). Undefined when
 * unparseable.
 */
export function parseLoadavgTasks(text: string): string | undefined {
  const f = text.trim().split(/\s+/);
  const total = f[3]?.split('/')[1];
  if (!total || !f[4] || !/^\d+$/.test(total) || !/^\d+$/.test(f[4])) return undefined;
  return `${total} ${f[4]}`;
}

/** USER_HZ: the unit of /proc/PID/stat times; 100 on every Linux ABI Node runs on (x86, arm, ppc, s390). */
export const CLOCK_TICKS_PER_S = 100;

/** Seconds since boot from /proc/uptime (its first field; same clock as stat's starttime). */
export function parseUptime(text: string): number | undefined {
  const s = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(s) ? s : undefined;
}

/**
 * Whether a process started (stat starttime, clock ticks since boot) less than `windowMs` before
 * `uptimeS` (seconds since boot, now). A start time in the future (clock skew between the two reads)
 * counts as young.
 */
export function isYoung(startTimeTicks: number, uptimeS: number, windowMs: number): boolean {
  return uptimeS * 1000 - (startTimeTicks * 1000) / CLOCK_TICKS_PER_S < windowMs;
}

/**
 * A cheap fingerprint of one network namespace's TCP activity, from /proc/PID/net/snmp (the Tcp
 * counters ActiveOpens, PassiveOpens, shared by IPv4 and IPv6, and CurrEstab) and sockstat/sockstat6
 * ("TCP: inuse", "TCP6: inuse": sockets in the hash tables, listeners included). Reading these costs
 * tens of microseconds, where /proc/net/tcp walks the kernel's whole established hash (about 1 ms per
 * file with 256 K buckets), so the TCP tables are read only when this changes:
 * - a connect() bumps ActiveOpens, an accept PassiveOpens, a handshake completing CurrEstab;
 * - a listen() hashes the socket: inuse goes up by one.
 * Its one blind spot: a listen() in the same interval as another hashed socket leaving (inuse back
 * where it was) with no connect, accept or established-state change in that namespace.
 * Undefined when the files cannot be read (then the caller reads the tables).
 */
export function tcpActivity(snmp: string | undefined, sockstat: string | undefined, sockstat6: string | undefined): string | undefined {
  if (snmp === undefined || sockstat === undefined) return undefined;
  const lines = snmp.split('\n').filter((l) => l.startsWith('Tcp:'));
  if (lines.length < 2) return undefined;
  const names = lines[0]!.trim().split(/\s+/);
  const values = lines[1]!.trim().split(/\s+/);
  const pick = (n: string): string => values[names.indexOf(n)] ?? '?';
  const inuse = (text: string | undefined, label: string): string => new RegExp(`^${label}: inuse (\\d+)`, 'm').exec(text ?? '')?.[1] ?? '-';
  return `${pick('ActiveOpens')} ${pick('PassiveOpens')} ${pick('CurrEstab')} ${inuse(sockstat, 'TCP')} ${inuse(sockstat6, 'TCP6')}`;
}

export interface ProcStat {
  comm: string;
  state: string;
  ppid: number;
  ttyNr: number;
  /** Clock ticks since boot. */
  startTime: number;
}

/** Parses /proc/PID/stat (comm may contain spaces and parentheses: it ends at the last ')'). */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[4] = tty_nr (7), rest[19] = starttime (22)
  const ppid = Number(rest[1]);
  if (!Number.isFinite(ppid)) return undefined;
  return { comm: text.slice(open + 1, close), state: rest[0] ?? '', ppid, ttyNr: Number(rest[4] ?? 0), startTime: Number(rest[19] ?? 0) };
}

/** argv from /proc/PID/cmdline (NUL-separated). */
export function parseCmdline(text: string): string[] {
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Real uid and gid from /proc/PID/status. */
export function parseStatusIds(text: string): { uid?: number; gid?: number } {
  const uid = /^Uid:\s+(\d+)/m.exec(text)?.[1];
  const gid = /^Gid:\s+(\d+)/m.exec(text)?.[1];
  return { ...(uid !== undefined ? { uid: Number(uid) } : {}), ...(gid !== undefined ? { gid: Number(gid) } : {}) };
}

/**
 * The cgroup path of /proc/PID/cgroup that says most about the container: the first path holding a
 * 64-hex id, else the v2 ("0::") path, else the first one.
 */
export function pickCgroupPath(text: string): string | undefined {
  const paths = text.split('\n').filter(Boolean).map((line) => {
    const parts = line.split(':');
    return { hierarchy: parts[0], path: parts.slice(2).join(':') };
  });
  return (paths.find((p) => /[0-9a-f]{64}/.test(p.path)) ?? paths.find((p) => p.hierarchy === '0') ?? paths[0])?.path;
}

export async function readCgroup(pid: number): Promise<string | undefined> {
  const text = await readText(`/proc/${pid}/cgroup`);
  return text === undefined ? undefined : pickCgroupPath(text);
}

export interface TcpSocket {
  inode: number;
  /** 0A = LISTEN, 01 = ESTABLISHED, ... (hex state of /proc/net/tcp). */
  state: string;
  sip: string;
  sport: number;
  dip: string;
  dport: number;
  uid: number;
}

/** Parses /proc/net/tcp or tcp6. */
export function parseProcNetTcp(text: string, v6: boolean): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [la, lp] = f[1]!.split(':');
    const [ra, rp] = f[2]!.split(':');
    if (!la || !lp || !ra || !rp) continue;
    out.push({
      sip: v6 ? hexToIpv6(la) : hexToIpv4(la),
      sport: parseInt(lp, 16),
      dip: v6 ? hexToIpv6(ra) : hexToIpv4(ra),
      dport: parseInt(rp, 16),
      state: f[3]!.toUpperCase(),
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return out;
}

/** /proc/net/tcp stores the address as a host-order (little-endian here) 32-bit word. */
export function hexToIpv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** Four little-endian 32-bit words; IPv4-mapped addresses come back as dotted IPv4. */
export function hexToIpv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Lowest port of the kernel's ephemeral range (net.ipv4.ip_local_port_range), default 32768. */
export async function ephemeralPortFloor(): Promise<number> {
  const text = await readText('/proc/sys/net/ipv4/ip_local_port_range');
  const low = Number(text?.trim().split(/\s+/)[0]);
  return Number.isFinite(low) && low > 0 ? low : 32768;
}

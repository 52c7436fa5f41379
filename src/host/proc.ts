/**
 * Processes as <root>/proc shows them, and the choice of the dockerd process among them.
 */
import { posix } from 'node:path';
import type { RootFs } from './rootfs.js';
import type { DaemonProcess } from './types.js';

/** Upper bound on /proc entries looked at (a pid namespace rarely holds more). */
const MAX_PROCESSES = 100_000;
const CMDLINE_LIMIT = 256 * 1024;

/** argv of every process under <root>/proc (kernel threads, with an empty cmdline, left out). */
export async function listProcesses(fs: RootFs): Promise<DaemonProcess[]> {
  const entries = await fs.readdir('/proc');
  if (!entries) return [];
  const pids = entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, MAX_PROCESSES);
  const out: DaemonProcess[] = [];
  for (const pid of pids) {
    const argv = await readCmdline(fs, pid);
    if (argv && argv.length > 0) out.push({ pid, argv });
  }
  return out;
}

export async function readCmdline(fs: RootFs, pid: number): Promise<string[] | undefined> {
  const outcome = await fs.read(`/proc/${pid}/cmdline`, CMDLINE_LIMIT);
  if (outcome.status !== 'ok') return undefined;
  const parts = outcome.content.toString('utf8').split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** dockerd, or the legacy `docker daemon`. */
export function isDockerd(argv: readonly string[]): boolean {
  const base = posix.basename(argv[0] ?? '');
  return base === 'dockerd' || (base === 'docker' && argv[1] === 'daemon');
}

/** The -H/--host values of a dockerd command line, in order. */
export function daemonHosts(argv: readonly string[]): string[] {
  const hosts: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const long = /^--host(?:=(.*))?$/.exec(arg);
    const short = /^-H(?:=?(.+))?$/.exec(arg);
    const m = long ?? short;
    if (!m) continue;
    if (m[1] !== undefined) hosts.push(m[1]);
    else if (i + 1 < argv.length) hosts.push(argv[++i]!);
  }
  return hosts;
}

/** A daemon address in a comparable form: unix sockets as their path with /var/run read as /run. */
export function normalizeAddress(address: string): string {
  let a = address.trim();
  if (a.startsWith('unix://')) a = a.slice('unix://'.length);
  if (a.startsWith('/var/run/')) a = '/run/' + a.slice('/var/run/'.length);
  return a.replace(/\/+$/, '');
}

const DEFAULT_SOCKET = '/run/docker.sock';

/**
 * The dockerd to audit among those running. With a socket: the one listening there (-H). Without:
 * the one on the default socket (no -H, fd:// from systemd, or /var/run/docker.sock), else the oldest.
 */
export function chooseDaemon(processes: readonly DaemonProcess[], socket?: string): DaemonProcess | undefined {
  const daemons = processes.filter((p) => isDockerd(p.argv));
  if (daemons.length === 0) return undefined;
  const listensOn = (p: DaemonProcess, address: string): boolean => {
    const hosts = daemonHosts(p.argv).map(normalizeAddress);
    if (address === DEFAULT_SOCKET && (hosts.length === 0 || hosts.some((h) => h.startsWith('fd:')))) return true;
    return hosts.includes(address);
  };
  if (socket !== undefined) {
    return daemons.find((p) => listensOn(p, normalizeAddress(socket)));
  }
  return daemons.find((p) => listensOn(p, DEFAULT_SOCKET)) ?? daemons[0];
}

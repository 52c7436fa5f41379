/**
 * Turning raw events into the stable strings a baseline model stores: command shapes, destinations,
 * written directories; and the static "how risky" part of an anomaly's score.
 */
import type { NetInfo } from '../events.js';

/** Placeholders a command shape or a directory uses in place of run-specific parts. */
export const PLACEHOLDER = { tmp: '<tmp>', uuid: '<uuid>', hex: '<hex>', number: '<n>' } as const;

const MAX_ARGS = 32;
const MAX_ARG_CHARS = 200;

/**
 * One pass over an argument, alternatives in priority order: a path under /tmp, /var/tmp or /dev/shm
 * (up to a separator) → <tmp>; a UUID → <uuid>; 0x-hex or a run of 12+ hex digits standing alone
 * (container ids, digests) → <hex>; a number not glued to a word on its left ("python3.11" keeps its
 * digits, "--port=8080" does not; dotted numbers such as addresses are one number) → <n>.
 */
const RUN_SPECIFIC =
  /((?<![\w./-])(?:\/var\/tmp|\/tmp|\/dev\/shm)\/[^\s,;=]*)|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|((?<![0-9a-z])(?:0x[0-9a-f]+|[0-9a-f]{12,})(?![0-9a-z]))|(?<![A-Za-z0-9_.<])\d+(?:\.\d+)*/gi;
const NEEDS_WORK = /[0-9]|tmp\/|shm\/|[a-f]{12}/i;

function placeholder(_m: string, tmp?: string, uuid?: string, hex?: string): string {
  return tmp ? PLACEHOLDER.tmp : uuid ? PLACEHOLDER.uuid : hex ? PLACEHOLDER.hex : PLACEHOLDER.number;
}

/** One argv element with run-specific parts replaced (see RUN_SPECIFIC). */
export function normalizeArg(arg: string): string {
  const a = arg.length > MAX_ARG_CHARS ? arg.slice(0, MAX_ARG_CHARS) + '…' : arg;
  return NEEDS_WORK.test(a) ? a.replace(RUN_SPECIFIC, placeholder) : a;
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** The directory of an absolute path ("/" for "/x"), numbers and ids normalized ("/proc/<n>/fd"). */
export function parentDir(path: string): string {
  const i = path.lastIndexOf('/');
  const dir = i <= 0 ? '/' : path.slice(0, i);
  return NEEDS_WORK.test(dir) ? normalizeDirPath(dir) : dir;
}

function normalizeDirPath(dir: string): string {
  for (const t of ['/tmp/', '/var/tmp/', '/dev/shm/']) if (dir.startsWith(t)) return t + PLACEHOLDER.tmp;
  return dir
    .split('/')
    .map((seg) => normalizeArg(seg))
    .join('/');
}

/**
 * The shape of a command: basename of argv[0] (or of the process name) and the normalized arguments,
 * joined by single spaces. At most 32 arguments of 200 characters are kept.
 */
export function commandShape(name: string, args: readonly string[] | undefined): string {
  if (!args || args.length === 0) return name;
  const first = args[0];
  let shape = first ? basename(first) : name;
  const n = Math.min(args.length, MAX_ARGS);
  for (let i = 1; i < n; i++) shape += ' ' + normalizeArg(args[i] as string);
  if (args.length > MAX_ARGS) shape += ' …';
  return shape;
}

/** IPv4 as a 32-bit number, or undefined. */
function ipv4(addr: string): number | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/**
 * The class of a destination address as a model stores it. Deterministic: loopback (127.0.0.0/8, ::1)
 * → "loopback"; RFC 1918, 100.64.0.0/10 (CGNAT) and fc00::/7 → "private" (pod and service addresses
 * change with every deployment, the port is what characterizes the peer); 0.0.0.0/:: → "any";
 * everything else, including link-local 169.254.0.0/16 (cloud metadata lives there), is kept exact.
 */
export function addressClass(address: string): string {
  let c = classCache.get(address);
  if (c === undefined) {
    if (classCache.size >= 4096) classCache.clear();
    c = computeAddressClass(address);
    classCache.set(address, c);
  }
  return c;
}

const classCache = new Map<string, string>();

function computeAddressClass(address: string): string {
  let a = address.toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  const v4 = ipv4(a);
  if (v4 !== undefined) {
    const o1 = v4 >>> 24;
    const o2 = (v4 >>> 16) & 0xff;
    if (o1 === 127) return 'loopback';
    if (v4 === 0) return 'any';
    if (o1 === 10 || (o1 === 172 && o2 >= 16 && o2 <= 31) || (o1 === 192 && o2 === 168) || (o1 === 100 && o2 >= 64 && o2 <= 127)) return 'private';
    return a;
  }
  if (a === '::1') return 'loopback';
  if (a === '::') return 'any';
  if (/^f[cd][0-9a-f]{0,2}:/.test(a)) return 'private';
  return a;
}

/** "tcp/loopback:8080", "udp/203.0.113.7:53". */
export function destinationKey(net: NetInfo): string | undefined {
  if (net.dport === undefined || net.dip === undefined) return undefined;
  return `${net.protocol}/${addressClass(net.dip)}:${net.dport}`;
}

/** "tcp/8080". */
export function listenKey(net: NetInfo): string | undefined {
  if (net.sport === undefined) return undefined;
  return `${net.protocol}/${net.sport}`;
}

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'busybox']);
export const PACKAGE_MANAGERS: ReadonlySet<string> = new Set([
  'apt', 'apt-get', 'aptitude', 'dpkg', 'yum', 'dnf', 'microdnf', 'rpm', 'zypper', 'apk', 'pacman',
  'pip', 'pip3', 'npm', 'yarn', 'pnpm', 'gem', 'cargo', 'go',
]);
export const NETWORK_TOOLS: ReadonlySet<string> = new Set(['nc', 'ncat', 'netcat', 'socat', 'curl', 'wget', 'telnet', 'ssh', 'scp', 'nmap', 'ftp', 'tftp']);
const TMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/'];
const BINARY_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/usr/local/lib'];

function under(path: string, dirs: readonly string[]): boolean {
  for (const d of dirs) if (path === d || path.startsWith(d.endsWith('/') ? d : d + '/')) return true;
  return false;
}

/**
 * The container runtime's processes as a parent: runc (its `runc init` stages, its sealed clone whose
 * exe shows as "/" or a memfd), crun, conmon and the containerd shims (comm cut to 15 bytes). A
 * `docker exec` process starts as runc's child and is re-parented to the shim once runc exits, so
 * what a sensor sees as its parent depends on timing; one token keeps the exec key stable.
 */
export const RUNTIME_PARENT = '<runtime>';
const RUNTIME_NAMES: ReadonlySet<string> = new Set(['runc', 'crun', 'youki', 'conmon', 'containerd-shim', 'containerd-shim-runc-v1', 'containerd-shim-runc-v2']);

/** The parent part of an exec key: the parent's exe path (else its name), or RUNTIME_PARENT for the container runtime. */
export function parentKey(pexepath: string | undefined, pname: string | undefined): string {
  const v = pexepath ?? pname;
  if (v === undefined || v === '') return '?';
  if (v === '/' || /^\/(memfd:|proc\/self\/|dev\/fd\/)/.test(v) || pname?.startsWith('runc:[') === true) return RUNTIME_PARENT;
  return RUNTIME_NAMES.has(basename(v)) ? RUNTIME_PARENT : v;
}

/**
 * Writes that say nothing about a workload's behaviour: the character devices every shell redirect and
 * terminal opens (/dev/null, /dev/tty, a pty), and a process's own descriptors through /proc/self or
 * /dev/fd. A path that is not absolute (an openat relative to a directory descriptor) cannot be placed.
 */
export function ignoredWritePath(path: string): boolean {
  if (!path.startsWith('/')) return true;
  if (HARMLESS_DEVICES.has(path)) return true;
  return /^\/dev\/(pts\/|fd\/|tty\d*$)|^\/proc\/(self|thread-self|\d+)\/(fd|task\/\d+\/fd)\//.test(path);
}
const HARMLESS_DEVICES: ReadonlySet<string> = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/tty', '/dev/ptmx', '/dev/console', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/random', '/dev/urandom']);

/** Risk 0..40 of running a program: shells 40; package managers, network tools, anything run from /tmp 35. */
export function execRisk(name: string, exepath: string | undefined): { risk: number; why?: string } {
  const base = exepath ? basename(exepath) : name;
  if (SHELLS.has(base) || SHELLS.has(name)) return { risk: 40, why: 'a shell' };
  if (PACKAGE_MANAGERS.has(base) || PACKAGE_MANAGERS.has(name)) return { risk: 35, why: 'a package manager' };
  if (NETWORK_TOOLS.has(base) || NETWORK_TOOLS.has(name)) return { risk: 35, why: 'a network tool' };
  if (exepath && under(exepath, TMP_DIRS)) return { risk: 35, why: 'run from a temporary directory' };
  return { risk: 0 };
}

/** Risk 0..40 of writing in a directory: binary and library dirs 40, /etc 25, home and /root 20. */
export function writeRisk(dir: string): { risk: number; why?: string } {
  if (under(dir, BINARY_DIRS)) return { risk: 40, why: 'a binary or library directory' };
  if (under(dir, ['/etc'])) return { risk: 25, why: 'a configuration directory' };
  if (under(dir, ['/root', '/home'])) return { risk: 20, why: 'a home directory' };
  return { risk: 0 };
}

/** Risk 0..40 of an outbound destination key ("tcp/<class>:<port>"). */
export function connectRisk(key: string): { risk: number; why?: string } {
  const at = key.indexOf('/');
  const colon = key.lastIndexOf(':');
  const addr = key.slice(at + 1, colon);
  const port = Number(key.slice(colon + 1));
  if (addr === '169.254.169.254' || addr === 'fd00:ec2::254') return { risk: 40, why: 'the cloud metadata address' };
  if (port === 6443 || port === 10250) return { risk: 30, why: 'a Kubernetes API port' };
  if (addr !== 'loopback' && addr !== 'private' && addr !== 'any') return { risk: 15, why: 'a public address' };
  return { risk: 0 };
}

/** Risk 0..40 of a new listening port: privileged ports 15, others 10 (a bind shell listens too). */
export function listenRisk(key: string): { risk: number; why?: string } {
  const port = Number(key.slice(key.indexOf('/') + 1));
  return port < 1024 ? { risk: 15, why: 'a privileged port' } : { risk: 10 };
}

/** Risk 0..40 of a new user: root 30, others 10. */
export function userRisk(uid: string): { risk: number; why?: string } {
  return uid === '0' ? { risk: 30, why: 'root' } : { risk: 10 };
}

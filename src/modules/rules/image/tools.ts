import type { Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { basename } from './rule.js';
import type { ImageRuleInput, RemovableTool } from './types.js';

/** A kind of tool a running container does not need, known by OS package names and executable names. */
interface ToolKind {
  category: string;
  packages: RegExp;
  executables: RegExp;
}

const V = '(?:-\\d+(?:\\.\\d+)?)?';

/** Package names are Debian/Ubuntu, Alpine and RPM spellings; executables are looked for in BIN_DIRS. */
export const TOOL_KINDS: readonly ToolKind[] = [
  {
    category: 'remote-access',
    packages: /^(?:openssh-server|dropbear(?:-bin|-run)?|telnetd(?:-ssl)?|inetutils-telnetd|krb5-telnetd|rsh-server|rsh-redone-server|x11vnc|tightvncserver|tigervnc-(?:standalone|scraping)-server|tigervnc-server|vnc4server|xrdp)$/,
    executables: /^(?:sshd|dropbear|in\.telnetd|telnetd|utelnetd|in\.rshd|in\.rlogind|x11vnc|Xvnc|Xtigervnc|vncserver|xrdp)$/,
  },
  { category: 'privilege', packages: /^(?:sudo|sudo-ldap|doas|opendoas)$/, executables: /^(?:sudo|doas)$/ },
  {
    category: 'package-manager',
    packages: /^(?:dpkg|apt|apk-tools|rpm|dnf|yum|microdnf|zypper|python3?-pip|py3-pip|npm|yarnpkg)$/,
    executables: /^(?:dpkg|apt|apt-get|apk|rpm|dnf|yum|microdnf|zypper|pip[23]?(?:\.\d+)?|npm|yarn|gem)$/,
  },
  {
    category: 'compiler',
    packages: new RegExp(`^(?:(?:gcc|g\\+\\+|cpp|clang|gfortran|gccgo)${V}|binutils(?:-[a-z0-9_-]+-linux-gnu)?|make|tcc|golang-go|golang-\\d+\\.\\d+-go|rustc|build-base)$`),
    executables: new RegExp(`^(?:(?:gcc|g\\+\\+|cc|c\\+\\+|clang|clang\\+\\+|cpp)${V}|tcc|make|as|ld|ld\\.bfd|ld\\.gold|go|rustc|javac)$`),
  },
  {
    category: 'debugger',
    packages: new RegExp(`^(?:gdb|gdbserver|gdb-multiarch|strace|ltrace|valgrind|lldb${V})$`),
    executables: new RegExp(`^(?:gdb|gdbserver|gdb-multiarch|strace|ltrace|valgrind|lldb${V})$`),
  },
  {
    category: 'network-tool',
    packages: /^(?:curl|wget|wget2|netcat|netcat-openbsd|netcat-traditional|ncat|nmap|tcpdump|socat|telnet|inetutils-telnet|ftp|tnftp|openssh-client|rsync)$/,
    executables: /^(?:curl|wget|wget2|nc|netcat|nc\.openbsd|nc\.traditional|ncat|nmap|tcpdump|socat|telnet|ftp|ssh|scp|sftp|rsync)$/,
  },
  {
    category: 'shell',
    packages: /^(?:bash|dash|zsh|ksh|ksh93u\+m|mksh|tcsh|csh|fish|yash|posh|busybox|busybox-static|busybox-binsh)$/,
    executables: /^(?:sh|bash|rbash|dash|ash|zsh|ksh|ksh93|mksh|tcsh|csh|fish|yash|posh|busybox)$/,
  },
];

export const BIN_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];

function kindOfPackage(name: string): ToolKind | undefined {
  return TOOL_KINDS.find((k) => k.packages.test(name));
}

function kindOfExecutable(name: string): ToolKind | undefined {
  return TOOL_KINDS.find((k) => k.executables.test(name));
}

/** A removable tool and the layer that put it there (the package's, else the executable's). */
export interface FoundTool extends RemovableTool {
  layer?: number;
  version?: string;
  /** For a tool no package owns: the file its executables resolve to. */
  file?: string;
}

const cache = new WeakMap<ImageRuleInput, FoundTool[]>();

/**
 * Package managers, compilers, debuggers, network tools, shells, remote-access daemons and sudo in
 * the image: one per OS package that is one of them, plus one per executable no such package owns.
 * Sorted by bytes (largest first), then name.
 */
export function findTools(input: ImageRuleInput): FoundTool[] {
  let found = cache.get(input);
  if (!found) {
    found = collect(input);
    cache.set(input, found);
  }
  return found;
}

function collect(input: ImageRuleInput): FoundTool[] {
  const { fs } = input;
  const tools: FoundTool[] = [];
  /** Real path of every file a tool package owns, so its executables are not reported twice. */
  const claimed = new Map<string, FoundTool>();
  const linked: Array<[string, FoundTool]> = [];
  for (const pkg of input.packages) {
    if (pkg.type !== 'deb' && pkg.type !== 'apk' && pkg.type !== 'rpm') continue;
    const kind = kindOfPackage(pkg.name);
    if (!kind) continue;
    const { paths, bytes, own, targets } = packageFiles(fs, pkg);
    const tool: FoundTool = { category: kind.category, package: pkg.name, paths, bytes, version: pkg.version };
    if (pkg.layer) tool.layer = pkg.layer.index;
    for (const p of own) if (!claimed.has(p)) claimed.set(p, tool);
    for (const p of targets) linked.push([p, tool]);
    tools.push(tool);
  }
  // A package's own files first: gcc's /usr/bin/gcc link must not claim gcc-12's binary.
  for (const [p, tool] of linked) if (!claimed.has(p)) claimed.set(p, tool);
  const listed = new Set(tools.flatMap((t) => t.paths));
  const byReal = new Map<string, FoundTool>();
  for (const exe of executables(fs)) {
    if (listed.has(exe.path)) continue;
    const kind = kindOfExecutable(basename(exe.path));
    if (!kind) continue;
    const target = fs.stat(exe.path, { follow: true });
    if (!target || target.type !== 'file') continue;
    const owner = claimed.get(target.path);
    if (owner) {
      if (!owner.paths.includes(exe.path)) owner.paths.push(exe.path);
      continue;
    }
    const key = `${kind.category}\0${target.path}`;
    const existing = byReal.get(key);
    if (existing) {
      existing.paths.push(exe.path);
      continue;
    }
    const tool: FoundTool = { category: kind.category, paths: [exe.path], bytes: target.size, layer: target.layer, file: target.path };
    byReal.set(key, tool);
    tools.push(tool);
  }
  for (const t of tools) t.paths = [...new Set(t.paths)].sort();
  return tools.sort((a, b) => b.bytes - a.bytes || cmp(toolName(a), toolName(b)) || cmp(a.category, b.category));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The package, else the executable named like the real file (busybox for its applets), else the first. */
export function toolName(tool: FoundTool): string {
  if (tool.package) return tool.package;
  return basename(tool.file && tool.paths.includes(tool.file) ? tool.file : tool.paths[0] ?? '');
}

/** A package's executables (in BIN_DIRS, as the view resolves them) and the bytes of all its files. */
function packageFiles(fs: FileSystemView, pkg: Package): { paths: string[]; bytes: number; own: string[]; targets: string[] } {
  const paths = new Set<string>();
  const own = new Set<string>();
  const targets = new Set<string>();
  const counted = new Set<string>();
  let bytes = 0;
  for (const file of pkg.files ?? []) {
    const st = fs.stat(file);
    if (!st) continue;
    if (st.type === 'file' && !counted.has(st.path)) {
      counted.add(st.path);
      bytes += st.size;
    }
    const dir = st.path.slice(0, st.path.lastIndexOf('/'));
    if (BIN_DIRS.includes(dir) && (st.type === 'file' || st.type === 'symlink' || st.type === 'hardlink')) paths.add(st.path);
    if (st.type === 'file') own.add(st.path);
    else if (st.type === 'symlink' || st.type === 'hardlink') {
      const target = fs.stat(file, { follow: true });
      if (target?.type === 'file') targets.add(target.path);
    }
  }
  if (counted.size === 0) {
    // No file list (distroless status.d): the executables named like the package stand for it.
    for (const dir of BIN_DIRS) {
      const st = fs.stat(`${dir}/${pkg.name}`, { follow: true });
      if (st?.type === 'file' && !counted.has(st.path)) {
        counted.add(st.path);
        bytes += st.size;
        paths.add(`${dir}/${pkg.name}`);
      }
    }
  }
  return { paths: [...paths].sort(), bytes, own: [...own], targets: [...targets] };
}

/** Every executable-looking entry in the bin directories, each real directory listed once. */
function executables(fs: FileSystemView): Array<{ path: string }> {
  const out: Array<{ path: string }> = [];
  const seenDirs = new Set<string>();
  for (const dir of BIN_DIRS) {
    const st = fs.stat(dir, { follow: true });
    if (!st || st.type !== 'dir' || seenDirs.has(st.path)) continue;
    seenDirs.add(st.path);
    for (const entry of fs.list(st.path)) {
      if (entry.type === 'dir') continue;
      if (entry.type === 'file' && (entry.mode & 0o111) === 0) continue;
      out.push({ path: entry.path });
    }
  }
  return out;
}

/** The removable-tool list of the lean-image report: every tool found, without the rule-only fields. */
export function removableTools(input: ImageRuleInput): RemovableTool[] {
  return findTools(input).map((t) => {
    const tool: RemovableTool = { category: t.category, paths: [...t.paths], bytes: t.bytes };
    if (t.package) tool.package = t.package;
    return tool;
  });
}

/**
 * The eBPF sensor: runs `bpftrace -f json` with the shipped program data/runtime/bpftrace/sensor.bt
 * (tracepoints only) and turns its printf lines into RuntimeEvents.
 *
 * bpftrace -f json prints one JSON object a line; the shapes seen from bpftrace 0.17:
 *   {"type": "attached_probes", "data": {"probes": 15}}
 *   {"type": "printf", "data": "E\t<tid>\t<pid>\t<ppid>\t<uid>\t<gid>\t<comm>\t<cgroup leaf>\t<filename>\t<parent comm>\t<tty 0|1>\n"}
 *   {"type": "join", "data": "argv0\u001fargv1..."}           (right after the X printf of the same execve)
 *   {"type": "lost_events", "data": {"events": N}}            (perf ring buffer overrun)
 * and on stderr a harmless RLIMIT_MEMLOCK warning, or "Lost N events" in text mode.
 * The line format of every tag is documented at the top of sensor.bt.
 *
 * User space adds what the kernel side does not print: the exe path (/proc/PID/exe while the process
 * lives, else the exec filename), argv (the execve join, else /proc/PID/cmdline), the parent's name
 * (cached from exec events and /proc), and the full cgroup path (/proc/PID/cgroup, cached per pid)
 * when the kernel-side leaf is empty.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RuntimeEvent, RuntimeEventType } from '../events.js';
import { parseProcNetTcp, parseStat, readCgroup, readLink, readText } from './procfs.js';
import { StatsCounter, type Sensor, type SensorStats } from './types.js';

export const BPFTRACE_PROGRAM = fileURLToPath(new URL('../../../data/runtime/bpftrace/sensor.bt', import.meta.url));

const TRACING_DIRS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

export interface EbpfSensorOptions {
  bpftrace?: string;
  /** The .bt program (default the shipped one). */
  program?: string;
  /** Max bytes of each string bpftrace reads (default 128; 3 of them must fit the 512-byte BPF stack). */
  strlen?: number;
  /** How long to wait for "attached_probes" (default 60 s: compiling takes seconds on a small VM). */
  attachTimeoutMs?: number;
  /** Restart backoff: first delay, doubled up to maxBackoffMs (default 500 ms .. 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Skip events of these pids (default: bpftrace's own and this Node process's). */
  ignoreSelf?: boolean;
}

/**
 * The credential files whose reads the sensor reports (the kernel side lets through every path with one
 * of their 8-byte prefixes): shadow and gshadow and their backups, sudoers and sudoers.d, PAM, opasswd,
 * SSH host keys, and anything in root's ~/.ssh.
 */
export function isCredentialPath(path: string): boolean {
  return /^\/etc\/(g?shadow-?|sudoers|pam\.conf|security\/opasswd)$|^\/etc\/sudoers\.d\/|^\/etc\/ssh\/ssh_host_[^/]*_key$|^\/root\/\.ssh\//.test(path);
}

/** Mounts tracefs when /sys/kernel/tracing is empty (tracepoints need it); returns the tracing dir. */
export function ensureTracefs(): string {
  for (const dir of TRACING_DIRS) if (existsSync(`${dir}/events`)) return dir;
  execFileSync('mount', ['-t', 'tracefs', 'tracefs', TRACING_DIRS[0]!], { stdio: 'ignore' });
  if (!existsSync(`${TRACING_DIRS[0]!}/events`)) throw new Error('tracefs mounted but /sys/kernel/tracing/events is missing');
  return TRACING_DIRS[0]!;
}

/** Whether this host runs the unified cgroup v2 hierarchy at /sys/fs/cgroup. */
function cgroupV2(): boolean {
  return existsSync('/sys/fs/cgroup/cgroup.controllers');
}

/**
 * The program text to run: blocks of tracepoints this kernel lacks removed (their names returned in
 * `missing`), CGROUP_LEAF replaced by the cgroup-v1 or v2 leaf-name expression.
 */
export function prepareProgram(source: string, tracingDir: string, v2 = cgroupV2()): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = source
    .replace(/\/\/ @probe (\S+)\n[\s\S]*?\/\/ @end\n/g, (block, probe: string) => {
      const [category, name] = probe.split(':');
      if (category && name && existsSync(`${tracingDir}/events/${category}/${name}`)) return block;
      missing.push(probe);
      return '';
    })
    .replaceAll(
      'CGROUP_LEAF',
      v2 ? 'str(curtask->cgroups->dfl_cgrp->kn->name)' : 'str(curtask->cgroups->subsys[0]->cgroup->kn->name)',
    );
  return { text, missing };
}

/** The fields common to every printf line. */
interface Head {
  tag: string;
  tid: number;
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  comm: string;
  cgroup: string;
  rest: string[];
}

/** Splits one printf payload; undefined when malformed. */
export function parseSensorLine(data: string): Head | undefined {
  const fields = data.replace(/\n$/, '').split('\t');
  if (fields.length < 8) return undefined;
  const [tag, tid, pid, ppid, uid, gid, comm, cgroup] = fields;
  const nums = [tid, pid, ppid, uid, gid].map(Number);
  if (!tag || nums.some((n) => !Number.isInteger(n))) return undefined;
  return { tag, tid: nums[0]!, pid: nums[1]!, ppid: nums[2]!, uid: nums[3]!, gid: nums[4]!, comm: comm!, cgroup: cgroup!, rest: fields.slice(8) };
}

const EINPROGRESS = -115;

export class EbpfSensor implements Sensor {
  readonly id = 'ebpf' as const;
  private readonly counter = new StatsCounter();
  private readonly options: Required<Omit<EbpfSensorOptions, 'program'>> & { program: string };
  private child: ChildProcess | undefined;
  private emit: ((e: RuntimeEvent) => void) | undefined;
  private stopping = false;
  private backoff: number;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Probes the kernel lacks (removed from the program). */
  missingProbes: string[] = [];
  /** execve argv waiting for its sched_process_exec, by pid. */
  private readonly pendingArgv = new Map<number, { filename: string; argv?: string[] }>();
  private lastExecve: number | undefined;
  /** connect enter waiting for its exit, by tid. */
  private readonly pendingConnect = new Map<number, { head: Head; family: number; addr: string; port: number }>();
  /** "pid/fd" -> local address from bind, for listen. */
  private readonly bound = new Map<string, { sip: string; sport: number }>();
  /** pid -> name / exe / cgroup learned from exec events. */
  private readonly procCache = new Map<number, { name: string; exepath?: string; cgroup?: string }>();
  private attached: ((ok: boolean, why?: string) => void) | undefined;
  private stderrTail = '';

  constructor(options: EbpfSensorOptions = {}) {
    this.options = {
      bpftrace: options.bpftrace ?? 'bpftrace',
      program: options.program ?? BPFTRACE_PROGRAM,
      strlen: options.strlen ?? 128,
      attachTimeoutMs: options.attachTimeoutMs ?? 60_000,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      ignoreSelf: options.ignoreSelf ?? true,
    };
    this.backoff = this.options.backoffMs;
  }

  /** bpftrace's pid (tests kill it to exercise the restart). */
  get childPid(): number | undefined {
    return this.child?.pid;
  }

  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopping = false;
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      // SIGINT lets bpftrace detach its probes and print its END output.
      child.kill('SIGINT');
    });
  }

  stats(): SensorStats {
    return this.counter.snapshot();
  }

  private async launch(): Promise<void> {
    const tracing = ensureTracefs();
    const source = await readFile(this.options.program, 'utf8');
    const { text, missing } = prepareProgram(source, tracing);
    this.missingProbes = missing;
    const child = spawn(this.options.bpftrace, ['-f', 'json', '-e', text], {
      env: { ...process.env, BPFTRACE_STRLEN: String(this.options.strlen) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.stderrTail = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.attached = undefined;
        reject(new Error(`bpftrace did not attach within ${this.options.attachTimeoutMs} ms: ${this.stderrTail.trim()}`));
      }, this.options.attachTimeoutMs);
      this.attached = (ok, why) => {
        clearTimeout(timer);
        this.attached = undefined;
        if (ok) resolve();
        else reject(new Error(`bpftrace failed to start: ${why ?? ''}`));
      };
    });
    child.on('error', (e) => {
      this.counter.error(`bpftrace: ${e.message}`);
      this.attached?.(false, e.message);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
      for (const m of chunk.matchAll(/Lost (\d+) events/g)) this.counter.lost += Number(m[1]);
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    child.on('exit', (code, signal) => {
      const why = `bpftrace exited (${signal ?? `code ${String(code)}`}): ${this.stderrTail.replace(/.*RLIMIT_MEMLOCK.*\n?/g, '').trim().slice(-500)}`;
      this.attached?.(false, why);
      if (this.child !== child || this.stopping) return;
      this.child = undefined;
      this.counter.error(why);
      this.scheduleRestart();
    });
    await ready;
    this.backoff = this.options.backoffMs;
  }

  private scheduleRestart(): void {
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.counter.restarts++;
      this.launch().catch((e: unknown) => {
        this.counter.error((e as Error).message);
        if (!this.stopping && !this.child) this.scheduleRestart();
      });
    }, delay);
  }

  private onLine(line: string): void {
    let msg: { type?: string; data?: unknown };
    try {
      msg = JSON.parse(line) as { type?: string; data?: unknown };
    } catch {
      this.counter.dropped++;
      this.counter.error(`unparseable bpftrace line: ${line.slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'attached_probes':
        this.attached?.(true);
        return;
      case 'lost_events': {
        const n = Number((msg.data as { events?: number } | undefined)?.events ?? 0);
        this.counter.lost += Number.isFinite(n) ? n : 0;
        return;
      }
      case 'join': {
        const pid = this.lastExecve;
        this.lastExecve = undefined;
        const pending = pid === undefined ? undefined : this.pendingArgv.get(pid);
        if (pending && typeof msg.data === 'string') pending.argv = msg.data.split('\x1f');
        return;
      }
      case 'printf':
        if (typeof msg.data === 'string') this.onPrintf(msg.data);
        return;
      default:
        return;
    }
  }

  private onPrintf(data: string): void {
    const head = parseSensorLine(data);
    this.lastExecve = undefined;
    if (!head) {
      this.counter.dropped++;
      this.counter.error(`malformed sensor line: ${data.slice(0, 200)}`);
      return;
    }
    if (this.options.ignoreSelf && (head.pid === process.pid || head.pid === this.child?.pid)) return;
    void this.handle(head).catch((e: unknown) => this.counter.error(`event: ${(e as Error).message}`));
  }

  private out(e: RuntimeEvent): void {
    if (this.stopping || !this.emit) return;
    this.counter.events++;
    this.emit(e);
  }

  private async handle(h: Head): Promise<void> {
    const time = Date.now();
    switch (h.tag) {
      case 'X': {
        // Synchronous bookkeeping: the join line follows immediately.
        this.pendingArgv.set(h.pid, { filename: h.rest[0] ?? '' });
        this.lastExecve = h.pid;
        if (this.pendingArgv.size > 10_000) this.pendingArgv.clear();
        return;
      }
      case 'E': {
        const filename = h.rest[0] ?? '';
        const pending = this.pendingArgv.get(h.pid);
        this.pendingArgv.delete(h.pid);
        const parentCached = this.procCache.has(h.ppid);
        const [exe, cmdline, cgroupPath, parentStat, parentExe] = await Promise.all([
          readLink(`/proc/${h.pid}/exe`),
          pending?.argv ? Promise.resolve(undefined) : readText(`/proc/${h.pid}/cmdline`),
          h.cgroup ? Promise.resolve(undefined) : readCgroup(h.pid),
          parentCached ? Promise.resolve(undefined) : readText(`/proc/${h.ppid}/stat`),
          // A parent that exec'd before the sensor started (an agent restart): its exe link, so that the
          // exec keys (exe <- parent exe) match the ones learned before the restart.
          parentCached ? Promise.resolve(undefined) : readLink(`/proc/${h.ppid}/exe`),
        ]);
        const args = pending?.argv ?? (cmdline ? cmdline.split('\0').filter((_, i, a) => i < a.length - 1 || a[i] !== '') : undefined);
        const exepath = exe?.replace(/ \(deleted\)$/, '') ?? (filename || undefined);
        const cgroup = h.cgroup || cgroupPath;
        const pexe = parentExe?.replace(/ \(deleted\)$/, '');
        const known =
          this.procCache.get(h.ppid) ?? (parentStat ? { name: parseStat(parentStat)?.comm ?? '', ...(pexe ? { exepath: pexe } : {}) } : undefined);
        // The kernel's parent comm at exec time is the truth: the parent may have exited since (runc after
        // starting a `docker exec` process) or exec'd something else; its exe path counts only when the
        // cached or /proc view still has that name.
        const kernelPname = h.rest[1];
        const parent = kernelPname ? (known?.name === kernelPname ? known : { name: kernelPname }) : known;
        this.procCache.set(h.pid, { name: h.comm, ...(exepath ? { exepath } : {}), ...(cgroup ? { cgroup } : {}) });
        if (this.procCache.size > 50_000) this.procCache.clear();
        this.out({
          time,
          type: 'exec',
          sensor: 'ebpf',
          proc: {
            pid: h.pid,
            ppid: h.ppid,
            name: h.comm,
            ...(exepath ? { exepath } : {}),
            ...(args && args.length ? { args } : {}),
            ...(parent?.name ? { pname: parent.name } : {}),
            ...(parent && 'exepath' in parent && parent.exepath ? { pexepath: parent.exepath } : {}),
            uid: h.uid,
            gid: h.gid,
            ...(h.rest[2] !== undefined ? { tty: h.rest[2] === '1' } : {}),
          },
          ...(cgroup ? { cgroup } : {}),
        });
        return;
      }
      case 'Q': {
        const cached = this.procCache.get(h.pid);
        this.procCache.delete(h.pid);
        this.pendingArgv.delete(h.pid);
        this.out({ time, type: 'exit', sensor: 'ebpf', proc: this.proc(h, cached), ...(cached?.cgroup ? { cgroup: cached.cgroup } : {}), arg: Number(h.rest[0]) });
        return;
      }
      case 'C': {
        this.pendingConnect.set(h.tid, { head: h, family: Number(h.rest[0]), addr: h.rest[1] ?? '', port: Number(h.rest[2]) });
        if (this.pendingConnect.size > 10_000) this.pendingConnect.clear();
        return;
      }
      case 'R': {
        const pending = this.pendingConnect.get(h.tid);
        if (!pending) return; // AF_UNIX and other families are not printed on enter
        this.pendingConnect.delete(h.tid);
        const ret = Number(h.rest[0]);
        if (ret !== 0 && ret !== EINPROGRESS) return; // refused / unreachable: no connection
        await this.emitWithCgroup(pending.head, 'connect', { net: { protocol: 'tcp', dip: pending.addr, dport: pending.port } });
        return;
      }
      case 'A':
        await this.emitWithCgroup(h, 'accept', { net: { protocol: 'tcp' }, arg: Number(h.rest[0]) });
        return;
      case 'B': {
        const port = Number(h.rest[3]);
        if (port > 0) this.bound.set(`${h.pid}/${h.rest[0] ?? ''}`, { sip: h.rest[2] ?? '', sport: port });
        if (this.bound.size > 10_000) this.bound.clear();
        return;
      }
      case 'L': {
        const fd = Number(h.rest[0]);
        const key = `${h.pid}/${fd}`;
        const port = this.bound.get(key) ?? (await this.listenAddress(h.pid, fd));
        this.bound.delete(key);
        await this.emitWithCgroup(h, 'listen', { net: { protocol: 'tcp', ...port } });
        return;
      }
      case 'O':
        await this.emitWithCgroup(h, 'open_write', { file: { path: h.rest.slice(2).join('\t') }, arg: Number(h.rest[0]) });
        return;
      case 'F': {
        const path = h.rest.slice(1).join('\t');
        if (isCredentialPath(path)) await this.emitWithCgroup(h, 'open_read', { file: { path }, arg: Number(h.rest[0]) });
        return;
      }
      case 'N':
        await this.emitWithCgroup(h, 'rename', { file: { path: h.rest[0] ?? '', target: h.rest.slice(1).join('\t') } });
        return;
      case 'U':
        await this.emitWithCgroup(h, 'unlink', { file: { path: h.rest.join('\t') } });
        return;
      case 'M':
        await this.emitWithCgroup(h, 'chmod', { file: { path: h.rest.slice(1).join('\t'), mode: Number(h.rest[0]) } });
        return;
      case 'S':
        await this.emitWithCgroup(h, 'setuid', { arg: Number(h.rest[0]) });
        return;
      case 'G':
        await this.emitWithCgroup(h, 'setgid', { arg: Number(h.rest[0]) });
        return;
      case 'P':
        await this.emitWithCgroup(h, 'ptrace', { arg: Number(h.rest[1]) });
        return;
      case 'T':
        await this.emitWithCgroup(h, 'mount', { arg: h.rest[1] ?? '', file: { path: h.rest[1] ?? '' } });
        return;
      case 'K': {
        const fd = Number(h.rest[0]);
        const name = fd >= 0 ? await readLink(`/proc/${h.pid}/fd/${fd}`) : h.rest[1];
        await this.emitWithCgroup(h, 'module_load', { arg: name ?? '' });
        return;
      }
      default:
        this.counter.dropped++;
        this.counter.error(`unknown tag ${h.tag}`);
    }
  }

  private proc(h: Head, cached?: { name: string; exepath?: string }): NonNullable<RuntimeEvent['proc']> {
    const parent = this.procCache.get(h.ppid);
    return {
      pid: h.pid,
      ...(h.ppid ? { ppid: h.ppid } : {}),
      name: h.comm || cached?.name || '',
      ...(cached?.exepath ? { exepath: cached.exepath } : {}),
      ...(parent?.name ? { pname: parent.name } : {}),
      uid: h.uid,
      gid: h.gid,
    };
  }

  private async emitWithCgroup(h: Head, type: RuntimeEventType, extra: Partial<RuntimeEvent>): Promise<void> {
    let cached = this.procCache.get(h.pid);
    let cgroup = h.cgroup || cached?.cgroup;
    if (!cached?.exepath || !cgroup) {
      const [exe, cg] = await Promise.all([cached?.exepath ? undefined : readLink(`/proc/${h.pid}/exe`), cgroup ? undefined : readCgroup(h.pid)]);
      cgroup ||= cg;
      const exepath = cached?.exepath ?? exe?.replace(/ \(deleted\)$/, '');
      cached = { name: h.comm, ...(exepath ? { exepath } : {}), ...(cgroup ? { cgroup } : {}) };
      this.procCache.set(h.pid, cached);
    }
    this.out({ time: Date.now(), type, sensor: 'ebpf', proc: this.proc(h, cached), ...extra, ...(cgroup ? { cgroup } : {}) });
  }

  /** Local address of a listening socket fd: its inode, looked up in the pid's TCP tables. */
  private async listenAddress(pid: number, fd: number): Promise<{ sip?: string; sport?: number }> {
    const link = await readLink(`/proc/${pid}/fd/${fd}`);
    const inode = link ? /^socket:\[(\d+)\]$/.exec(link)?.[1] : undefined;
    if (!inode) return {};
    // listen() has not run yet at sys_enter and a bound socket is not in /proc/net/tcp: look a moment
    // later (used only when the bind was not seen, e.g. it happened before the sensor started).
    await new Promise((r) => setTimeout(r, 50));
    for (const v6 of [false, true]) {
      const text = await readText(`/proc/${pid}/net/${v6 ? 'tcp6' : 'tcp'}`);
      const s = text ? parseProcNetTcp(text, v6).find((x) => String(x.inode) === inode) : undefined;
      if (s) return { sip: s.sip, sport: s.sport };
    }
    return {};
  }
}

/** Whether bpftrace can be spawned here (root and the binary present); the reason when not. */
export function bpftraceUnavailable(bpftrace = 'bpftrace'): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const path = (process.env['PATH'] ?? '').split(':').find((d) => d && existsSync(`${d}/${bpftrace}`));
  if (!bpftrace.includes('/') && !path) return `${bpftrace} not on PATH (apt-get install bpftrace)`;
  return undefined;
}

// readdirSync is kept for callers that list tracepoints.
export function listTracepoints(category: string, tracingDir = ensureTracefs()): string[] {
  try {
    return readdirSync(`${tracingDir}/events/${category}`);
  } catch {
    return [];
  }
}

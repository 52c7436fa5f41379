/**
 * The /proc sensor: needs nothing beyond reading /proc (works unprivileged for the caller's own
 * processes, and for everything as root), so it is the fallback when eBPF cannot run.
 *
 * Every `intervalMs` (default 250 ms) it lists /proc, diffs the pid set against the last poll and
 * emits `exec` for each new pid (exe link, cmdline, ppid and tty from stat, parent name, uid/gid from
 * status, cgroup from /proc/PID/cgroup) and `exit` for each pid gone. A pid already known costs one
 * map lookup per poll, nothing is read for it (unless it is young, below).
 *
 * An exec in an existing pid (a container's init starts as runc:[2:INIT] and execs the entrypoint;
 * `docker exec` goes through runc init the same way) is found by re-reading the exe link of the
 * YOUNG processes only: those started less than `execRecheckMs` (default 10 s) ago per their stat
 * start time. A changed link is reported as a new exec.
 *
 * The network: per network namespace (the host's, and one pid's for each other namespace a process
 * is in) it reads a cheap fingerprint every poll (Tcp counters of /proc/PID/net/snmp and the inuse
 * counts of sockstat/sockstat6, see tcpActivity) and reads the TCP tables (net/tcp and tcp6; about
 * 1 ms each, the kernel walks its whole established hash) only when the fingerprint changed, and
 * anyway every `tcpFullReadMs` (default 30 s). It emits `listen` for LISTEN sockets (state 0A) and
 * `connect` for ESTABLISHED sockets whose local port is in the ephemeral range, once per socket inode,
 * attributed to the process holding the inode when the sensor can find it: the fds of that
 * namespace's processes are scanned, newest first, only when a table holds an inode not seen before.
 *
 * What it cannot see: processes that start and end between two polls (a `sh -c 'curl ...'` lasting
 * 50 ms is invisible), an exec in a process older than `execRecheckMs` (a long-running shell that
 * later runs `exec prog`: the pid keeps its first program for the sensor until it exits), an exec of
 * the same binary in the same pid (the exe link does not change), several execs in one pid within a
 * poll (only the last), file writes, renames, chmods, setuid, ptrace, mounts and module loads (no
 * /proc trace of them), connections opened and closed between polls, UDP, and accepts (an accepted
 * socket looks like any other established socket). A listener opened in the same poll interval as
 * another TCP socket of its namespace closes, with no connect, accept or handshake there in that
 * interval, leaves the fingerprint unchanged: it is reported at the next full read (<= tcpFullReadMs),
 * or not at all if it is gone by then. The first poll is a baseline: the processes and sockets already
 * there are not reported unless `reportExisting` is set.
 *
 * All reads are synchronous: /proc is served from kernel memory in microseconds, and the promise
 * versions cost 2-3x the CPU. A poll blocks the event loop for its duration (well under 1 ms on an
 * idle host with a hundred processes; a few ms when many processes start at once).
 */
import { readdirSync } from 'node:fs';
import type { RuntimeEvent } from '../events.js';
import {
  ephemeralPortFloor,
  isYoung,
  parseCmdline,
  parseLoadavgTasks,
  parseProcNetTcp,
  parseStat,
  parseStatusIds,
  parseUptime,
  pickCgroupPath,
  ProcFile,
  readLinkSync,
  readTextSync,
  tcpActivity,
  type TcpSocket,
} from './procfs.js';
import { StatsCounter, type Sensor, type SensorStats } from './types.js';

export interface ProcSensorOptions {
  intervalMs?: number;
  /** Root of the proc filesystem (default /proc). */
  procRoot?: string;
  /** Emit exec/listen/connect for what already runs at start (default false: first poll is a baseline). */
  reportExisting?: boolean;
  /** Watch the TCP tables (default true). */
  network?: boolean;
  /** Re-read the exe link of processes started less than this ago, to see an exec in the same pid (default 10 000). */
  execRecheckMs?: number;
  /** Read a namespace's TCP tables at least this often even when its activity fingerprint did not change (default 30 000). */
  tcpFullReadMs?: number;
}

/** What the sensor's polls did since start (for the bench and tests; not part of SensorStats). */
export interface ProcSensorWork {
  polls: number;
  /** Polls that listed /proc (the task-set fingerprint of /proc/loadavg changed, or it cannot be used). */
  listings: number;
  /** Exe links re-read for young known processes. */
  exeRechecks: number;
  /** New pids (or execs in a known pid) described. */
  described: number;
  /** Network namespaces whose activity fingerprint was read. */
  fingerprints: number;
  /** TCP table pairs (tcp + tcp6 of one namespace) read. */
  tableReads: number;
  /** /proc/PID/fd directories scanned for socket owners. */
  fdScans: number;
}

interface NsTable {
  ns: string;
  /** net/ directory to read the namespace's files from. */
  dir: string;
  /** The known processes in it (the fd scan's candidates). */
  procs: Known[];
}

interface Known {
  pid: number;
  startTime: number;
  name: string;
  exepath?: string;
  netns?: string;
}

export class ProcSensor implements Sensor {
  readonly id = 'proc' as const;
  readonly work: ProcSensorWork = { polls: 0, listings: 0, exeRechecks: 0, described: 0, fingerprints: 0, tableReads: 0, fdScans: 0 };
  private readonly counter = new StatsCounter();
  private readonly intervalMs: number;
  private readonly root: string;
  private readonly reportExisting: boolean;
  private readonly network: boolean;
  private readonly execRecheckMs: number;
  private readonly tcpFullReadMs: number;
  private known = new Map<number, Known>();
  /** Known pids with an exe link that were young when last looked at (the exec re-check candidates). */
  private readonly young = new Set<number>();
  private loadavg: ProcFile;
  private uptime: ProcFile;
  /** loadavg's task fingerprint at the last listing; undefined: list every poll. */
  private lastTasks: string | undefined;
  private useTaskGate = false;
  private readonly nsFiles = new Map<string, { snmp: ProcFile; sockstat: ProcFile; sockstat6: ProcFile }>();
  private readonly seenSockets = new Set<string>();
  /** Per network namespace: the last activity fingerprint and when its tables were last read. */
  private nsActivity = new Map<string, { fingerprint: string | undefined; readAt: number }>();
  private selfNs: string | undefined;
  private tables: NsTable[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private emit: ((e: RuntimeEvent) => void) | undefined;
  private ephemeralFloor = 32768;
  private stopped = false;

  constructor(options: ProcSensorOptions = {}) {
    this.intervalMs = options.intervalMs ?? 250;
    this.root = options.procRoot ?? '/proc';
    this.reportExisting = options.reportExisting ?? false;
    this.network = options.network ?? true;
    this.execRecheckMs = options.execRecheckMs ?? 10_000;
    this.tcpFullReadMs = options.tcpFullReadMs ?? 30_000;
    this.loadavg = new ProcFile(`${this.root}/loadavg`);
    this.uptime = new ProcFile(`${this.root}/uptime`);
  }

  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopped = false;
    this.ephemeralFloor = await ephemeralPortFloor();
    this.selfNs = readLinkSync(`${this.root}/self/ns/net`);
    // loadavg's last pid is that of the reader's pid namespace: it stands for the listed /proc only when
    // that /proc is of the same namespace (its "self" is this process's own pid).
    this.useTaskGate = readLinkSync(`${this.root}/self`) === String(process.pid);
    await this.poll(!this.reportExisting);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    this.loadavg.close();
    this.uptime.close();
    for (const files of this.nsFiles.values()) for (const f of Object.values(files)) f.close();
    this.nsFiles.clear();
  }

  stats(): SensorStats {
    return this.counter.snapshot();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll(false)
        .catch((e: unknown) => this.counter.error(`poll: ${(e as Error).message}`))
        .finally(() => this.schedule());
    }, this.intervalMs);
  }

  private out(e: RuntimeEvent, silent: boolean): void {
    if (silent || this.stopped || !this.emit) return;
    this.counter.events++;
    this.emit(e);
  }

  /** One diff of the process table and the TCP tables. `silent`: record only (the baseline). */
  async poll(silent: boolean): Promise<void> {
    this.work.polls++;
    const now = Date.now();
    // The task fingerprint first: a fork after it is seen by the next poll.
    const tasks = this.useTaskGate ? parseLoadavgTasks(this.loadavg.read() ?? '') : undefined;
    const uptimeText = this.uptime.read();
    const uptimeS = uptimeText === undefined ? undefined : parseUptime(uptimeText);
    const fresh: number[] = [];
    let next: Map<number, Known>;
    const listing = tasks === undefined || tasks !== this.lastTasks;
    if (!listing) {
      // No process created or ended since the last listing: only the young ones may have exec'd.
      next = this.known;
      for (const pid of this.young) {
        const k = next.get(pid);
        if (!k) this.young.delete(pid);
        else if (this.execed(k, uptimeS)) fresh.push(pid);
      }
    } else {
      this.work.listings++;
      next = new Map<number, Known>();
      for (const name of readdirSync(this.root)) {
        const c = name.charCodeAt(0);
        if (c < 48 || c > 57) continue; // pids only ("self", "net", "sys"... start with a letter)
        const pid = Number(name);
        const old = this.known.get(pid);
        if (!old) fresh.push(pid);
        else if (this.execed(old, uptimeS)) fresh.push(pid);
        else next.set(pid, old);
      }
      for (const pid of this.young) if (!next.has(pid)) this.young.delete(pid);
    }
    this.lastTasks = tasks;
    const infos = fresh.map((pid) => this.describe(pid));
    for (const info of infos) if (info) next.set(info.known.pid, info.known);
    // Parents after all new pids are known, so a child's pname can come from a process seen in the same poll.
    for (const info of infos) {
      if (!info) continue;
      const parent = next.get(info.event.proc!.ppid ?? -1) ?? this.known.get(info.event.proc!.ppid ?? -1);
      if (parent) {
        info.event.proc!.pname = parent.name;
        if (parent.exepath) info.event.proc!.pexepath = parent.exepath;
      }
      this.out(info.event, silent);
    }
    if (listing) for (const [pid, old] of this.known) {
      if (next.has(pid)) continue;
      this.out({ time: now, type: 'exit', sensor: 'proc', proc: { pid, name: old.name, ...(old.exepath ? { exepath: old.exepath } : {}) } }, silent);
    }
    this.known = next;
    if (this.network) this.pollNetwork(silent, now, listing || fresh.length > 0);
  }

  /**
   * An exec keeps the pid: a young process's changed exe link is a new program, reported as exec again.
   * Older ones are not re-read (a readlink per process per poll was most of the sensor's idle cost) and
   * leave the young set.
   */
  private execed(k: Known, uptimeS: number | undefined): boolean {
    if (!k.exepath) return false;
    if (uptimeS !== undefined && !isYoung(k.startTime, uptimeS, this.execRecheckMs)) {
      this.young.delete(k.pid);
      return false;
    }
    this.work.exeRechecks++;
    const link = readLinkSync(`${this.root}/${k.pid}/exe`)?.replace(/ \(deleted\)$/, '');
    return link !== undefined && link !== k.exepath;
  }

  private describe(pid: number, retry = true): { known: Known; event: RuntimeEvent } | undefined {
    this.work.described++;
    const base = `${this.root}/${pid}`;
    const exe = readLinkSync(`${base}/exe`);
    const statText = readTextSync(`${base}/stat`);
    if (statText === undefined) return undefined; // gone already
    const cmdline = readTextSync(`${base}/cmdline`);
    const status = readTextSync(`${base}/status`);
    const cgroupText = readTextSync(`${base}/cgroup`);
    const netns = readLinkSync(`${base}/ns/net`);
    // An exec between the reads (runc init becoming the entrypoint) would mix two programs (exe "/" of
    // runc init with the entrypoint's cmdline): read again once when the exe link changed meanwhile.
    if (exe !== undefined && retry && readLinkSync(`${base}/exe`) !== exe) return this.describe(pid, false);
    const stat = parseStat(statText);
    if (!stat) {
      this.counter.dropped++;
      return undefined;
    }
    const args = cmdline ? parseCmdline(cmdline) : [];
    const exepath = exe?.replace(/ \(deleted\)$/, '');
    const ids = status ? parseStatusIds(status) : {};
    const cgroup = cgroupText ? pickCgroupPath(cgroupText) : undefined;
    const known: Known = { pid, startTime: stat.startTime, name: stat.comm, ...(exepath ? { exepath } : {}), ...(netns ? { netns } : {}) };
    if (exepath) this.young.add(pid); // execed() drops it once it is old
    // Kernel threads have no cmdline and no exe: still a process, reported with the name only.
    const event: RuntimeEvent = {
      time: Date.now(),
      type: 'exec',
      sensor: 'proc',
      proc: {
        pid,
        ppid: stat.ppid,
        name: stat.comm,
        ...(exepath ? { exepath } : {}),
        ...(args.length ? { args } : {}),
        ...ids,
        tty: stat.ttyNr !== 0,
      },
      ...(cgroup !== undefined ? { cgroup } : {}),
    };
    return { known, event };
  }

  /** The host's TCP tables and those of one pid per other network namespace, when their activity changed. */
  private pollNetwork(silent: boolean, now: number, changed: boolean): void {
    if (changed || !this.tables) this.tables = this.namespaceTables();
    const activity = new Map<string, { fingerprint: string | undefined; readAt: number }>();
    for (const table of this.tables) {
      // The fingerprint is read before the tables: a change after it is caught by the next poll.
      this.work.fingerprints++;
      let files = this.nsFiles.get(table.ns);
      if (!files) {
        files = { snmp: new ProcFile(`${table.dir}/snmp`), sockstat: new ProcFile(`${table.dir}/sockstat`), sockstat6: new ProcFile(`${table.dir}/sockstat6`) };
        this.nsFiles.set(table.ns, files);
      }
      const fingerprint = tcpActivity(files.snmp.read(), files.sockstat.read(), files.sockstat6.read());
      const last = this.nsActivity.get(table.ns);
      if (last && fingerprint !== undefined && fingerprint === last.fingerprint && now - last.readAt < this.tcpFullReadMs) {
        activity.set(table.ns, last);
        continue;
      }
      activity.set(table.ns, { fingerprint, readAt: now });
      this.work.tableReads++;
      const sockets: TcpSocket[] = [];
      for (const v6 of [false, true]) {
        const text = readTextSync(`${table.dir}/${v6 ? 'tcp6' : 'tcp'}`);
        if (text !== undefined) sockets.push(...parseProcNetTcp(text, v6));
      }
      const interesting = sockets.filter((s) => {
        if (s.inode === 0) return false;
        if (this.seenSockets.has(`${table.ns}/${s.inode}`)) return false;
        return s.state === '0A' || (s.state === '01' && s.sport >= this.ephemeralFloor);
      });
      if (interesting.length === 0) continue;
      // The baseline only records the sockets: no owner lookup for events it does not emit.
      const owners = silent ? new Map<number, number>() : this.socketOwners(table.procs, new Set(interesting.map((s) => s.inode)));
      for (const s of interesting) {
        this.seenSockets.add(`${table.ns}/${s.inode}`);
        const owner = owners.get(s.inode);
        const proc = owner ? this.known.get(owner) : undefined;
        const cgroup = owner ? readTextSync(`${this.root}/${owner}/cgroup`) : undefined;
        const cg = cgroup ? pickCgroupPath(cgroup) : undefined;
        const listen = s.state === '0A';
        this.out(
          {
            time: Date.now(),
            type: listen ? 'listen' : 'connect',
            sensor: 'proc',
            ...(proc ? { proc: { pid: proc.pid, name: proc.name, ...(proc.exepath ? { exepath: proc.exepath } : {}), uid: s.uid } } : {}),
            net: listen ? { protocol: 'tcp', sip: s.sip, sport: s.sport } : { protocol: 'tcp', sip: s.sip, sport: s.sport, dip: s.dip, dport: s.dport },
            ...(cg !== undefined ? { cgroup: cg } : {}),
          },
          silent,
        );
      }
    }
    this.nsActivity = activity; // namespaces gone are forgotten, and their files closed
    for (const [ns, files] of this.nsFiles) {
      if (activity.has(ns)) continue;
      for (const f of Object.values(files)) f.close();
      this.nsFiles.delete(ns);
    }
    // Forget sockets no longer in any table would need the full set; the set is bounded instead.
    if (this.seenSockets.size > 100_000) this.seenSockets.clear();
  }

  /** The host's namespace first, then one table per other network namespace a known process is in. */
  private namespaceTables(): NsTable[] {
    const selfNs = this.selfNs;
    const byNs = new Map<string, Known[]>();
    for (const k of this.known.values()) {
      if (!k.netns) continue;
      const list = byNs.get(k.netns);
      if (list) list.push(k);
      else byNs.set(k.netns, [k]);
    }
    const tables: NsTable[] = [{ ns: selfNs ?? 'host', dir: `${this.root}/self/net`, procs: byNs.get(selfNs ?? '') ?? [] }];
    for (const [ns, procs] of byNs) if (ns !== selfNs) tables.push({ ns, dir: `${this.root}/${procs[0]!.pid}/net`, procs });
    return tables;
  }

  /**
   * inode -> pid holding it, by scanning /proc/PID/fd of the namespace's processes, newest first (a new
   * socket is most often held by a process that started recently); stops once every inode has an owner.
   */
  private socketOwners(procs: Known[], inodes: Set<number>): Map<number, number> {
    const owners = new Map<number, number>();
    const order = [...procs].sort((a, b) => b.startTime - a.startTime || b.pid - a.pid);
    for (const { pid } of order) {
      let fds: string[];
      try {
        fds = readdirSync(`${this.root}/${pid}/fd`);
      } catch {
        continue;
      }
      this.work.fdScans++;
      for (const fd of fds) {
        const link = readLinkSync(`${this.root}/${pid}/fd/${fd}`);
        if (!link?.startsWith('socket:[')) continue;
        const inode = Number(link.slice(8, -1));
        if (inodes.has(inode) && !owners.has(inode)) owners.set(inode, pid);
      }
      if (owners.size === inodes.size) break;
    }
    return owners;
  }
}

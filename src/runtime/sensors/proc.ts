/**
 * The /proc sensor: needs nothing beyond reading /proc (works unprivileged for the caller's own
 * processes, and for everything as root), so it is the fallback when eBPF cannot run.
 *
 * Every `intervalMs` (default 250 ms) it lists /proc, diffs the pid set against the last poll and
 * emits `exec` for each new pid (exe link, cmdline, ppid and tty from stat, parent name, uid/gid from
 * status, cgroup from /proc/PID/cgroup) and `exit` for each pid gone. It also reads the TCP tables of
 * the host and of one pid per other network namespace (/proc/PID/net/tcp and tcp6) and emits
 * `listen` for LISTEN sockets (state 0A) and `connect` for ESTABLISHED sockets whose local port is in
 * the ephemeral range, once per socket inode, attributed to the process holding the inode when the
 * sensor can find it.
 *
 * An exec in an existing pid is found by re-reading every known pid's exe link each poll (one
 * readlink per process per poll) and reported as a new exec.
 *
 * What it cannot see: processes that start and end between two polls (a `sh -c 'curl ...'` lasting
 * 50 ms is invisible), an exec of the same binary in the same pid (the exe link does not change),
 * several execs in one pid within a poll (only the last), file writes, renames, chmods, setuid, ptrace, mounts and
 * module loads (no /proc trace of them), connections opened and closed between polls, UDP, and
 * accepts (an accepted socket looks like any other established socket). The first poll is a baseline:
 * the processes and sockets already there are not reported unless `reportExisting` is set.
 */
import { readdir } from 'node:fs/promises';
import type { RuntimeEvent } from '../events.js';
import {
  ephemeralPortFloor,
  parseCmdline,
  parseProcNetTcp,
  parseStat,
  parseStatusIds,
  pickCgroupPath,
  readLink,
  readText,
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
  private readonly counter = new StatsCounter();
  private readonly intervalMs: number;
  private readonly root: string;
  private readonly reportExisting: boolean;
  private readonly network: boolean;
  private known = new Map<number, Known>();
  private readonly seenSockets = new Set<string>();
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
  }

  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopped = false;
    this.ephemeralFloor = await ephemeralPortFloor();
    await this.poll(!this.reportExisting);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
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
    const now = Date.now();
    const pids = (await readdir(this.root)).filter((n) => /^\d+$/.test(n)).map(Number);
    const next = new Map<number, Known>();
    const fresh: number[] = [];
    const kept: Known[] = [];
    for (const pid of pids) {
      const old = this.known.get(pid);
      if (old) kept.push(old);
      else fresh.push(pid);
    }
    // An exec keeps the pid (a container's init starts as runc:[2:INIT] and becomes the entrypoint):
    // a changed exe link or start time means a new program in the same pid, reported as exec again.
    const relinks = await Promise.all(kept.map((k) => (k.exepath ? readLink(`${this.root}/${k.pid}/exe`) : Promise.resolve(undefined))));
    kept.forEach((k, i) => {
      const link = relinks[i]?.replace(/ \(deleted\)$/, '');
      if (k.exepath && link && link !== k.exepath) fresh.push(k.pid);
      else next.set(k.pid, k);
    });
    // Parents first, so a child's pname can come from a process seen in the same poll.
    const infos = await Promise.all(fresh.map((pid) => this.describe(pid)));
    for (const info of infos) if (info) next.set(info.known.pid, info.known);
    for (const info of infos) {
      if (!info) continue;
      const parent = next.get(info.event.proc!.ppid ?? -1) ?? this.known.get(info.event.proc!.ppid ?? -1);
      if (parent) {
        info.event.proc!.pname = parent.name;
        if (parent.exepath) info.event.proc!.pexepath = parent.exepath;
      }
      this.out(info.event, silent);
    }
    for (const [pid, old] of this.known) {
      if (next.has(pid)) continue;
      this.out({ time: now, type: 'exit', sensor: 'proc', proc: { pid, name: old.name, ...(old.exepath ? { exepath: old.exepath } : {}) } }, silent);
    }
    this.known = next;
    if (this.network) await this.pollNetwork(silent);
  }

  private async describe(pid: number, retry = true): Promise<{ known: Known; event: RuntimeEvent } | undefined> {
    const base = `${this.root}/${pid}`;
    const [statText, cmdline, status, exe, cgroupText, netns] = await Promise.all([
      readText(`${base}/stat`),
      readText(`${base}/cmdline`),
      readText(`${base}/status`),
      readLink(`${base}/exe`),
      readText(`${base}/cgroup`),
      readLink(`${base}/ns/net`),
    ]);
    if (statText === undefined) return undefined; // gone already
    // An exec between the reads (runc init becoming the entrypoint) would mix two programs (exe "/" of
    // runc init with the entrypoint's cmdline): read again once when the exe link changed meanwhile.
    if (exe !== undefined && retry && (await readLink(`${base}/exe`)) !== exe) return this.describe(pid, false);
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

  /** The host's TCP tables and those of one pid per other network namespace. */
  private async pollNetwork(silent: boolean): Promise<void> {
    const selfNs = await readLink(`${this.root}/self/ns/net`);
    const byNs = new Map<string, number[]>();
    for (const k of this.known.values()) {
      if (!k.netns) continue;
      const list = byNs.get(k.netns) ?? [];
      list.push(k.pid);
      byNs.set(k.netns, list);
    }
    const tables: Array<{ ns: string; dir: string; pids: number[] }> = [];
    tables.push({ ns: selfNs ?? 'host', dir: `${this.root}/self/net`, pids: byNs.get(selfNs ?? '') ?? [] });
    for (const [ns, pids] of byNs) if (ns !== selfNs) tables.push({ ns, dir: `${this.root}/${pids[0]}/net`, pids });

    for (const table of tables) {
      const sockets: TcpSocket[] = [];
      for (const v6 of [false, true]) {
        const text = await readText(`${table.dir}/${v6 ? 'tcp6' : 'tcp'}`);
        if (text !== undefined) sockets.push(...parseProcNetTcp(text, v6));
      }
      const interesting = sockets.filter((s) => {
        if (s.inode === 0) return false;
        if (this.seenSockets.has(`${table.ns}/${s.inode}`)) return false;
        return s.state === '0A' || (s.state === '01' && s.sport >= this.ephemeralFloor);
      });
      if (interesting.length === 0) continue;
      const owners = await this.socketOwners(table.pids, new Set(interesting.map((s) => s.inode)));
      for (const s of interesting) {
        this.seenSockets.add(`${table.ns}/${s.inode}`);
        const owner = owners.get(s.inode);
        const proc = owner ? this.known.get(owner) : undefined;
        const cgroup = owner ? await readText(`${this.root}/${owner}/cgroup`) : undefined;
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
    // Forget sockets no longer in any table would need the full set; the set is bounded instead.
    if (this.seenSockets.size > 100_000) this.seenSockets.clear();
  }

  /** inode -> pid holding it, by scanning /proc/PID/fd of the namespace's processes. */
  private async socketOwners(pids: number[], inodes: Set<number>): Promise<Map<number, number>> {
    const owners = new Map<number, number>();
    for (const pid of pids) {
      let fds: string[];
      try {
        fds = await readdir(`${this.root}/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        const link = await readLink(`${this.root}/${pid}/fd/${fd}`);
        const m = link ? /^socket:\[(\d+)\]$/.exec(link) : null;
        if (m && inodes.has(Number(m[1])) && !owners.has(Number(m[1]))) owners.set(Number(m[1]), pid);
      }
      if (owners.size === inodes.size) break;
    }
    return owners;
  }
}

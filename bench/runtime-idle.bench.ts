/**
 * The agent's own CPU use while the host is idle (issue 9's goal: under 1% of one core).
 *
 * Runs each sensor alone on the host as it is (no containers started here) for BENCH_IDLE_SECONDS
 * (default 30 s) and measures the CPU time it costs, as a percentage of one core over the wall time:
 * - the /proc sensor (`new ProcSensor({ intervalMs })`) at its default 250 ms and at 1000 ms, each in
 *   a child `node` process running the compiled sensor from dist/ (plain JS, as the agent ships), its
 *   CPU (process.cpuUsage, user + system) over the window. Not in this process: the tsx loader it runs
 *   under keeps a hooks thread and V8 workers busy at 0.3-1.5% of a core on its own (measured on the
 *   2-core VM), which would be most of the budget and none of the agent's. The first row of the table
 *   is the same child with no sensor; a row for this tsx process idling shows the loader's share;
 * - the eBPF sensor (`new EbpfSensor()`), when bpftrace can run here (root, `bpftrace --version`
 *   works): this process's CPU plus the bpftrace child's, read from /proc/<pid>/stat (utime + stime,
 *   clock ticks) at the start and end of the window. bpftrace's start-up (compiling and attaching,
 *   seconds on a small VM) is not in the window: the window opens when start() resolved.
 * A baseline window with no sensor (the bench's own Node process idling with a timer) is printed first
 * so the reader can see what the process costs by itself. The events each sensor emitted (counted, then
 * dropped) are printed too: the host is not perfectly idle (other jobs, the container engine).
 *
 * The host's own load is printed (loadavg before and after, and the whole system's busy share of all
 * cores over each window, from /proc/stat): the figures mean "idle" only if the host was.
 *
 * What the /proc sensor did in each window is printed under the table (polls, polls that listed /proc,
 * exe links re-read, pids described, TCP table reads, fd directories scanned): on an idle host most
 * polls read only /proc/loadavg, /proc/uptime and each network namespace's snmp/sockstat files.
 *
 * Run: node --import tsx bench/runtime-idle.bench.ts     (BENCH_IDLE_SECONDS to change the window;
 *      BENCH_IDLE_SENSORS=proc to measure the /proc sensor only, no eBPF row)
 * Exit status: 0 every measured sensor under 1% at its default setting, 1 one missed, 2 could not run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RuntimeEvent } from '../src/runtime/events.js';
import { EbpfSensor, bpftraceUnavailable } from '../src/runtime/sensors/ebpf.js';
import type { ProcSensorWork } from '../src/runtime/sensors/proc.js';
import type { Sensor } from '../src/runtime/sensors/types.js';
import { renderTable } from './support/table.js';

const SECONDS = Math.max(1, Number(process.env['BENCH_IDLE_SECONDS'] ?? 30) || 30);
const GOAL_PCT = 1;
const ONLY_PROC = process.env['BENCH_IDLE_SENSORS'] === 'proc';
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Row {
  name: string;
  wallS: number;
  selfCpuS: number;
  childCpuS?: number;
  events: number;
  systemBusyPct: number;
  goal: boolean;
  load: string;
}

function loadavg(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** utime + stime of a process in seconds, or undefined when it is gone. */
function procCpuS(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm) ": state is index 0, utime is field 14 of stat => index 11 here, stime 12.
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** The whole system's [busy, total] jiffies over all cores (first line of /proc/stat). */
function systemJiffies(): [number, number] {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return [total - idle, total];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(name: string, sensor: Sensor | undefined, childPid?: () => number | undefined): Promise<Row> {
  let events = 0;
  const emit = (_e: RuntimeEvent): void => {
    events++;
  };
  if (sensor) await sensor.start(emit);
  // Let start-up work (first poll, attach) settle before the window opens.
  await sleep(500);
  events = 0;
  const load0 = loadavg();
  const pid = childPid?.();
  const child0 = pid !== undefined ? procCpuS(pid) : undefined;
  const [busy0, total0] = systemJiffies();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  const [busy1, total1] = systemJiffies();
  const child1 = pid !== undefined ? procCpuS(pid) : undefined;
  const load1 = loadavg();
  if (pid !== undefined && childPid?.() !== pid) throw new Error(`${name}: bpftrace restarted during the window`);
  if (sensor) await sensor.stop();
  const row: Row = {
    name,
    wallS,
    selfCpuS: (cpu.user + cpu.system) / 1e6,
    events,
    systemBusyPct: (100 * (busy1 - busy0)) / Math.max(1, total1 - total0),
    goal: false,
    load: `${load0} -> ${load1}`,
  };
  if (child0 !== undefined && child1 !== undefined) row.childCpuS = child1 - child0;
  return row;
}

/** One window in a child node process (the compiled /proc sensor); intervalMs 0: no sensor. */
const CHILD_SOURCE = `
import { readFileSync } from 'node:fs';
import { ProcSensor } from '__PROC_SENSOR__';
const [intervalMs, seconds] = process.argv.slice(2).map(Number);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const jiffies = () => { const v = readFileSync('/proc/stat', 'utf8').split('\\n')[0].trim().split(/\\s+/).slice(1).map(Number); const t = v.reduce((a, b) => a + b, 0); return [t - v[3] - v[4], t]; };
let events = 0;
const sensor = intervalMs > 0 ? new ProcSensor({ intervalMs }) : undefined;
if (sensor) await sensor.start(() => { events++; });
await new Promise((r) => setTimeout(r, 500));
events = 0;
const load0 = loadavg(); const [b0, t0] = jiffies(); const c0 = process.cpuUsage(); const w0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const c = process.cpuUsage(c0); const wallS = (performance.now() - w0) / 1000; const [b1, t1] = jiffies();
await sensor?.stop();
process.stdout.write(JSON.stringify({ wallS, selfCpuS: (c.user + c.system) / 1e6, events, systemBusyPct: (100 * (b1 - b0)) / Math.max(1, t1 - t0), load: load0 + ' -> ' + loadavg(), work: sensor?.work }));
`;

async function measureChild(name: string, bundle: string, intervalMs: number): Promise<{ row: Row; work?: ProcSensorWork }> {
  const child = spawn(process.execPath, [bundle, String(intervalMs), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`${name}: child exited ${code}`);
  const r = JSON.parse(out) as Omit<Row, 'name' | 'goal'> & { work?: ProcSensorWork };
  return { row: { name, wallS: r.wallS, selfCpuS: r.selfCpuS, events: r.events, systemBusyPct: r.systemBusyPct, load: r.load, goal: false }, ...(r.work ? { work: r.work } : {}) };
}

const pct = (r: Row): number => (100 * (r.selfCpuS + (r.childCpuS ?? 0))) / r.wallS;

async function main(): Promise<number> {
  const started = performance.now();
  const rows: Row[] = [];
  process.stderr.write(`each window ${SECONDS} s; load average at start ${loadavg()}\n`);
  // The child runs the compiled sensor (dist/, what the agent ships: `npm run bench:runtime-idle` builds it first).
  const compiled = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'runtime', 'sensors', 'proc.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
  const buildDir = mkdtempSync(join(tmpdir(), 'bulwark-idle-bench-'));
  const bundle = join(buildDir, 'window.mjs');
  writeFileSync(bundle, CHILD_SOURCE.replace('__PROC_SENSOR__', pathToFileURL(compiled).href));
  const workNotes: string[] = [];
  const measureProc = async (name: string, intervalMs: number): Promise<Row> => {
    const { row, work } = await measureChild(name, bundle, intervalMs);
    if (!work) return row;
    const w = work;
    workNotes.push(
      `${name}: ${w.polls} polls, ${w.listings} listed /proc, ${w.exeRechecks} exe links re-read, ${w.described} pids described, ` +
        `${w.fingerprints} namespace fingerprints, ${w.tableReads} TCP table reads, ${w.fdScans} fd dirs scanned (since start, baseline poll included)`,
    );
    return row;
  };
  let proc250: Row;
  try {
    rows.push(await measureProc('no sensor (plain node child alone)', 0));
    proc250 = await measureProc('/proc sensor, 250 ms (default), plain node child', 250);
    proc250.goal = true;
    rows.push(proc250);
    rows.push(await measureProc('/proc sensor, 1000 ms, plain node child', 1000));
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  rows.push(await measure('no sensor (this node + tsx process alone)', undefined));

  let ebpfNote = '';
  const why = ONLY_PROC ? undefined : bpftraceUnavailable();
  let version: string | undefined;
  if (!ONLY_PROC) try {
    version = execFileSync('bpftrace', ['--version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    ebpfNote = `eBPF sensor not measured: bpftrace --version failed (${(e as Error).message.split('\n')[0]})`;
  }
  if (ONLY_PROC) ebpfNote = 'eBPF sensor not measured: BENCH_IDLE_SENSORS=proc';
  else if (why !== undefined) ebpfNote = `eBPF sensor not measured: ${why}`;
  else if (version !== undefined) {
    const ebpf = new EbpfSensor();
    try {
      const row = await measure(`eBPF sensor (${version}), this process + bpftrace`, ebpf, () => ebpf.childPid);
      row.goal = true;
      rows.push(row);
      const s = ebpf.stats();
      ebpfNote = `eBPF: ${s.lost} events lost, ${s.restarts} restarts, probes missing on this kernel: ${ebpf.missingProbes.join(', ') || 'none'}`;
    } catch (e) {
      await ebpf.stop();
      ebpfNote = `eBPF sensor not measured: ${(e as Error).message}`;
    }
  }

  const fmtS = (s: number | undefined): string => (s === undefined ? '' : `${s.toFixed(3)} s`);
  const table = renderTable(
    ['window', 'wall', 'CPU (this process)', 'CPU (bpftrace)', '% of one core', 'goal', 'result', 'events seen', 'system busy (all cores)', 'load average'],
    rows.map((r) => [
      r.name,
      `${r.wallS.toFixed(1)} s`,
      fmtS(r.selfCpuS),
      fmtS(r.childCpuS),
      `${pct(r).toFixed(3)}%`,
      r.goal ? `< ${GOAL_PCT}%` : '',
      r.goal ? (pct(r) < GOAL_PCT ? 'PASS' : 'FAIL') : '',
      String(r.events),
      `${r.systemBusyPct.toFixed(1)}%`,
      r.load,
    ]),
  );
  const lines = [table, ''];
  const p250 = pct(proc250);
  const p1000 = pct(rows[2]!);
  const idle = pct(rows[0]!);
  const tsxIdle = pct(rows[3]!);
  if (p250 >= GOAL_PCT) {
    // CPU% = fixed + 100 × perPoll / interval: two intervals give both, then the interval that meets the goal.
    const perPollS = Math.max(0, (p250 - p1000) / 100 / (1 / 0.25 - 1 / 1));
    const fixedPct = Math.max(0, p1000 - 100 * perPollS);
    const need = GOAL_PCT - fixedPct > 0 ? (100 * perPollS) / (GOAL_PCT - fixedPct) : Infinity;
    lines.push(
      `/proc sensor at 250 ms misses the goal by ${(p250 - GOAL_PCT).toFixed(3)} points (${(p250 / GOAL_PCT).toFixed(2)}x); ` +
        `one poll costs ~${(perPollS * 1000).toFixed(2)} ms of CPU here, so an interval of >= ${Number.isFinite(need) ? `${Math.ceil(need * 1000)} ms` : '(none: the fixed cost alone is over the goal)'} would meet it` +
        ` (1000 ms measured: ${p1000.toFixed(3)}%, ${p1000 < GOAL_PCT ? 'meets' : 'misses'} it).`,
    );
  } else {
    lines.push(`/proc sensor at 250 ms meets the goal (${p250.toFixed(3)}% < ${GOAL_PCT}%); at 1000 ms ${p1000.toFixed(3)}%.`);
  }
  lines.push(...workNotes);
  lines.push(
    `the plain node child alone (no sensor) costs ${idle.toFixed(3)}%: that is in every /proc row; this node + tsx process alone ${tsxIdle.toFixed(3)}%: that is in the eBPF row.`,
  );
  if (ebpfNote) lines.push(ebpfNote);
  lines.push(`${cpus().length} cores; processes running at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ')[3]}; bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(lines.join('\n') + '\n');
  const goals = rows.filter((r) => r.goal);
  return goals.every((r) => pct(r) < GOAL_PCT) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench could not run: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);

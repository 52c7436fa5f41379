/** The runtime agent end to end with a synthetic sensor: alerts of every kind, sinks, queue, status, CLI. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { FileSink, RuntimeAgent, WebhookSink, isRuntimeInit, readStatusFile, statePaths, type Alert } from '../../src/runtime/agent/index.js';
import { BaselineEngine, BaselineStore, commandShape } from '../../src/runtime/baseline/index.js';
import { DriftDetector, FileIndex } from '../../src/runtime/drift/index.js';
import type { ContainerInfo, RuntimeEvent } from '../../src/runtime/events.js';
import { loadRuleEngine } from '../../src/runtime/rules/index.js';
import { StatsCounter, type Sensor } from '../../src/runtime/sensors/types.js';

const run = promisify(execFile);
const IMG = `sha256:${'a'.repeat(64)}`;
const CONTAINER: ContainerInfo = { id: 'c'.repeat(64), name: 'web', imageRepository: 'shop/web', imageTag: '1.0', imageId: IMG };

class SyntheticSensor implements Sensor {
  readonly id = 'synthetic' as const;
  private emitFn: ((e: RuntimeEvent) => void) | undefined;
  private readonly counter = new StatsCounter();
  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emitFn = emit;
  }
  async stop(): Promise<void> {
    this.emitFn = undefined;
  }
  stats() {
    return this.counter.snapshot();
  }
  emit(e: RuntimeEvent): void {
    this.counter.events++;
    this.emitFn?.(e);
  }
}

function exec(path: string, args: string[], extra: Partial<RuntimeEvent['proc']> = {}): RuntimeEvent {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    time: Date.now(),
    type: 'exec',
    sensor: 'synthetic',
    proc: { pid: 999_999_990, ppid: 1, name, exepath: path, args, pname: 'node', pexepath: '/usr/local/bin/node', uid: 1000, ...extra },
    container: { ...CONTAINER },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-agent-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function readAlerts(file: string): Promise<Alert[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);
}

describe('RuntimeAgent', () => {
  it('learns, switches to monitoring, and writes rule, anomaly and drift alerts with the documented shape', async () => {
    const sensor = new SyntheticSensor();
    const alertsFile = join(dir, 'alerts', 'alerts.jsonl');
    const index = new FileIndex(IMG, new Map([
      ['/', { type: 'dir', size: 0, mode: 0o755 }],
      ['/usr', { type: 'dir', size: 0, mode: 0o755 }],
      ['/usr/bin', { type: 'dir', size: 0, mode: 0o755 }],
      ['/usr/bin/python3', { type: 'file', size: 10, mode: 0o755 }],
      ['/usr/bin/bash', { type: 'file', size: 10, mode: 0o755 }],
    ]));
    const drift = new DriftDetector(async () => index, { procRoot: join(dir, 'no-proc'), verifyCgroup: false });
    const store = BaselineStore.open(join(dir, 'a', 'baselines.sqlite'));
    const baseline = new BaselineEngine(store, { learnWindowMs: 150, quietPeriodMs: 100 });
    const statusFile = join(dir, 'a', 'status.json');
    const agent = new RuntimeAgent({
      sensors: [sensor],
      sinks: [new FileSink(alertsFile)],
      drift,
      baseline,
      rules: await loadRuleEngine(),
      statusFile,
      statusIntervalMs: 50,
    });
    await agent.start();
    // learning: the app's normal work
    for (let i = 0; i < 5; i++) sensor.emit(exec('/usr/bin/python3', ['python3', 'app.py']));
    await agent.idle();
    assert.equal(baseline.status()[0]?.state, 'learning');
    await sleep(300);
    baseline.tick(Date.now());
    assert.equal(baseline.status()[0]?.state, 'monitoring');
    // monitoring: normal work raises nothing; then an interactive shell (rule + anomaly) and a binary not in the image (drift + anomaly)
    sensor.emit(exec('/usr/bin/python3', ['python3', 'app.py']));
    sensor.emit(exec('/usr/bin/bash', ['bash'], { tty: true }));
    sensor.emit(exec('/tmp/miner', ['miner', '--pool', 'x']));
    await agent.idle();
    await sleep(120);
    await agent.stop();
    store.close();

    const alerts = await readAlerts(alertsFile);
    // One alert per event, every reason in it: the interactive shell (rule + anomaly), the miner (drift + anomaly).
    assert.equal(alerts.length, 2, alerts.map((a) => a.title).join(' | '));
    const shell = alerts.find((a) => a.event.proc?.exepath === '/usr/bin/bash');
    assert.ok(shell, JSON.stringify(alerts));
    assert.deepEqual(Object.keys(shell).sort(), ['container', 'event', 'priority', 'severity', 'time', 'title', 'why']);
    assert.deepEqual(shell.container, { id: CONTAINER.id, name: 'web', imageRepository: 'shop/web', imageTag: '1.0', imageId: IMG });
    assert.equal(shell.event.type, 'exec');
    assert.match(shell.time, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(shell.why.map((w) => w.source), ['anomaly', 'rule'], 'the medium/high anomaly ranks before the NOTICE rule');
    const rule = shell.why.find((w) => w.source === 'rule');
    assert.ok(rule?.source === 'rule');
    assert.equal(rule.rule, 'Terminal shell in container');
    assert.equal(rule.priority, 'NOTICE');
    assert.equal(rule.severity, 'low');
    assert.match(rule.output, /shell=bash/);
    const w = shell.why[0]!;
    assert.ok(w.source === 'anomaly');
    assert.equal(w.model, IMG);
    assert.equal(w.kind, 'exec');
    assert.ok(w.what.startsWith('/usr/bin/bash'));
    assert.ok(w.score >= 60 && w.score <= 100);
    assert.match(w.reason, /not in the baseline/);
    assert.equal(shell.title, 'baseline: new executable');
    assert.equal(shell.severity, w.severity);
    assert.ok(!alerts.some((a) => a.event.proc?.exepath === '/usr/bin/python3'), 'normal work raised an alert');

    const miner = alerts.find((a) => a.event.proc?.exepath === '/tmp/miner');
    assert.ok(miner, JSON.stringify(alerts));
    assert.deepEqual(miner.why.map((x) => x.source), ['drift', 'anomaly']);
    const d = miner.why[0]!;
    assert.deepEqual(d, { source: 'drift', severity: 'high', kind: 'binary-not-in-image', path: '/tmp/miner', reason: d.source === 'drift' ? d.reason : '' });
    assert.equal(miner.title, 'drift: binary not in image');
    assert.equal(miner.severity, 'high');
    assert.equal(miner.priority, 'ERROR');
    assert.equal(miner.container?.imageId, IMG);

    const status = readStatusFile(statusFile);
    assert.ok(status);
    assert.equal(status.running, false);
    assert.equal(status.sensors[0]?.id, 'synthetic');
    assert.equal(status.sensors[0]?.events, 8);
    assert.equal(status.queue.processed, 8);
    assert.equal(status.models[0]?.key, IMG);
    assert.equal(status.models[0]?.state, 'monitoring');
    assert.deepEqual(status.alerts, { total: 2, rule: 1, anomaly: 2, drift: 1 });
    assert.equal(status.sinks[0]?.sent, alerts.length);
  });

  it('drift alerts fire while the baseline still learns', async () => {
    const sensor = new SyntheticSensor();
    const got: Alert[] = [];
    const drift = new DriftDetector(async () => new FileIndex(IMG, new Map([['/', { type: 'dir', size: 0, mode: 0o755 }]])), { procRoot: join(dir, 'no-proc'), verifyCgroup: false });
    const agent = new RuntimeAgent({ sensors: [sensor], sinks: [], drift, baseline: new BaselineEngine(null) });
    agent.onAlert((a) => got.push(a));
    await agent.start();
    sensor.emit(exec('/usr/bin/apt-get', ['apt-get', 'install', 'curl']));
    await agent.idle();
    await agent.stop();
    assert.equal(got.length, 1, 'one event, one alert');
    assert.deepEqual(got[0]!.why.map((w) => (w.source === 'drift' ? w.kind : w.source)).sort(), ['binary-not-in-image', 'package-manager']);
  });

  it('counts queue overflow as dropped and reports it in the status', async () => {
    const sensor = new SyntheticSensor();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const agent = new RuntimeAgent({
      sensors: [sensor],
      sinks: [],
      queueCapacity: 10,
      attributor: { attribute: async (e) => (await gate, e) },
    });
    await agent.start();
    for (let i = 0; i < 50; i++) sensor.emit(exec('/bin/true', ['true']));
    const st = agent.status();
    release();
    await agent.idle();
    await agent.stop();
    // the sensor emits synchronously: ten fit the queue, the rest is dropped
    assert.equal(st.queue.dropped, 40);
    assert.equal(st.queue.depth, 10);
    assert.equal(agent.status().queue.processed, 10);
  });
});

describe('WebhookSink', () => {
  let server: Server;
  let url: string;
  const bodies: unknown[] = [];
  let calls = 0;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls++;
        if (calls === 1) {
          res.statusCode = 500;
          return res.end('boom');
        }
        bodies.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('retries a 500 then succeeds; a dead URL does not block the other sinks', async () => {
    const sensor = new SyntheticSensor();
    const good = new WebhookSink(url, { backoffMs: 20 });
    // a port nothing listens on (the server's port after closing a probe server would race; port 9 is discard, closed on CI hosts)
    const dead = new WebhookSink('http://127.0.0.1:9/hook', { backoffMs: 50, retries: 3 });
    const file = join(dir, 'webhook-alerts.jsonl');
    const agent = new RuntimeAgent({ sensors: [sensor], sinks: [dead, good, new FileSink(file)], rules: await loadRuleEngine() });
    await agent.start();
    const t0 = Date.now();
    sensor.emit(exec('/usr/bin/bash', ['bash'], { tty: true }));
    await agent.idle();
    // the file sink has the alert at once, long before the dead webhook gives up
    for (let i = 0; i < 50 && (await readFile(file, 'utf8').catch(() => '')) === ''; i++) await sleep(10);
    assert.equal((await readAlerts(file)).length, 1);
    assert.ok(Date.now() - t0 < 300, 'the file sink waited for the webhooks');
    for (let i = 0; i < 100 && good.stats().sent === 0; i++) await sleep(10);
    assert.equal(good.stats().sent, 1);
    assert.equal(good.stats().retries, 1);
    assert.equal(calls, 2);
    assert.equal((bodies[0] as Alert).title, 'Terminal shell in container');
    await agent.stop();
    const d = dead.stats();
    assert.equal(d.sent, 0);
    assert.equal(d.failed, 1);
    assert.ok(d.retries >= 1);
  });
});

describe('bulwark runtime status/accept/export/import (CLI)', () => {
  const cli = join(process.cwd(), 'dist', 'cli', 'main.js');
  let stateDir: string;
  before(async () => {
    await run('npm', ['run', 'build'], { cwd: process.cwd() });
    stateDir = join(dir, 'cli-state');
    const store = BaselineStore.open(statePaths(stateDir).store);
    const engine = new BaselineEngine(store, { learnWindowMs: 1, quietPeriodMs: 0 });
    const t = Date.now() - 3_600_000;
    engine.observe({ ...exec('/usr/bin/python3', ['python3', 'app.py']), time: t });
    engine.observe({ ...exec('/usr/bin/python3', ['python3', 'app.py']), time: t + 1 });
    engine.flush();
    store.close();
  });

  it('status prints the models from the store when no agent runs', async () => {
    const { stdout } = await run('node', [cli, 'runtime', 'status', '--state-dir', stateDir]);
    assert.match(stdout, /model\s+image\s+state\s+age/);
    assert.match(stdout, /aaaaaaaaaaaa\s+shop\/web\s+monitoring\s+1h/);
    assert.match(stdout, /agent: not running/);
    const json = JSON.parse((await run('node', [cli, 'runtime', 'status', '--state-dir', stateDir, '--format', 'json'])).stdout);
    assert.equal(json.agent, null);
    assert.equal(json.models[0].key, IMG);
    assert.equal(json.models[0].items.exec, 1);
  });

  it('accept adds the behaviour; export and import round-trip the model', async () => {
    const { stdout } = await run('node', [cli, 'runtime', 'accept', '--state-dir', stateDir, '--model', IMG, '--kind', 'exec', '--what', '/usr/bin/curl <- /bin/sh']);
    assert.match(stdout, /accepted exec/);
    const out = join(dir, 'model.yaml');
    await run('node', [cli, 'runtime', 'export', '--state-dir', stateDir, '--model', IMG, '-o', out]);
    const yaml = await readFile(out, 'utf8');
    assert.match(yaml, /\/usr\/bin\/curl <- \/bin\/sh/);
    // import into a fresh state dir
    const other = join(dir, 'cli-state-2');
    const imp = await run('node', [cli, 'runtime', 'import', out, '--state-dir', other]);
    assert.match(imp.stdout, new RegExp(`imported ${IMG}`));
    const store = BaselineStore.open(statePaths(other).store);
    const engine = new BaselineEngine(store);
    assert.equal(engine.model(IMG)?.items.exec.has('/usr/bin/curl <- /bin/sh'), true);
    assert.equal(engine.status()[0]?.state, 'monitoring');
    store.close();
    // an unknown model fails with exit code 2 and one line
    await assert.rejects(run('node', [cli, 'runtime', 'accept', '--state-dir', stateDir, '--model', 'sha256:nope', '--kind', 'exec', '--what', 'x']), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /no baseline model sha256:nope/);
      return true;
    });
  });
  it('status, accept and export go through a running agent (control folder), which stops alerting on the accepted behaviour', async () => {
    const live = join(dir, 'cli-live');
    const paths = statePaths(live);
    const store = BaselineStore.open(paths.store);
    const baseline = new BaselineEngine(store, { learnWindowMs: 1, quietPeriodMs: 0 });
    const sensor = new SyntheticSensor();
    const got: Alert[] = [];
    const agent = new RuntimeAgent({ sensors: [sensor], sinks: [], baseline, statusFile: paths.status, statusIntervalMs: 50, controlDir: paths.control, controlIntervalMs: 20, storePath: paths.store });
    agent.onAlert((a) => got.push(a));
    await agent.start();
    try {
      const t = Date.now() - 60_000;
      sensor.emit({ ...exec('/usr/bin/python3', ['python3', 'app.py']), time: t });
      sensor.emit({ ...exec('/usr/bin/python3', ['python3', 'app.py']), time: t + 1 });
      sensor.emit(exec('/usr/bin/curl', ['curl', 'http://127.0.0.1/']));
      await agent.idle();
      assert.equal(got.filter((a) => a.why.some((w) => w.source === 'anomaly' && w.what === '/usr/bin/curl <- /usr/local/bin/node')).length, 1);
      await sleep(120);
      const { stdout } = await run('node', [cli, 'runtime', 'status', '--state-dir', live]);
      assert.match(stdout, new RegExp(`agent: pid ${process.pid}`));
      assert.match(stdout, /synthetic\s+3\s+0\s+0\s+0/);
      assert.match(stdout, /queue\s+3\s+0/);
      assert.match(stdout, /alerts: 1 \(reasons: rule 0, drift 0, anomaly 1\)/);
      // The alert itself, as `runtime run` wrote it, is what accept takes: its anomaly and the command shape it implies.
      const alertFile = join(dir, 'curl-alert.jsonl');
      writeFileSync(alertFile, `${JSON.stringify(got[0])}\n`);
      const accepted = await run('node', [cli, 'runtime', 'accept', '--state-dir', live, '--alert', alertFile]);
      assert.equal(accepted.stdout, `accepted exec "/usr/bin/curl <- /usr/local/bin/node" into ${IMG}\naccepted command "${commandShape('curl', ['curl', 'http://127.0.0.1/'])}" into ${IMG}\n`);
      writeFileSync(alertFile, '{"why": []}\nnot json\n');
      await assert.rejects(run('node', [cli, 'runtime', 'accept', '--state-dir', live, '--alert', alertFile]), (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /curl-alert\.jsonl line 2: not a JSON alert/);
        assert.doesNotMatch(e.stderr, /\n\s+at /);
        return true;
      });
      got.length = 0;
      sensor.emit(exec('/usr/bin/curl', ['curl', 'http://127.0.0.1/']));
      await agent.idle();
      assert.deepEqual(got, []);
      const yaml = (await run('node', [cli, 'runtime', 'export', '--state-dir', live, '--model', IMG])).stdout;
      assert.match(yaml, /\/usr\/bin\/curl <- \/usr\/local\/bin\/node/);
    } finally {
      await agent.stop();
      store.close();
    }
    // the agent flushed the accepted items: a new engine on the store has them
    const reopened = BaselineStore.open(paths.store);
    assert.equal(new BaselineEngine(reopened).model(IMG)?.items.exec.has('/usr/bin/curl <- /usr/local/bin/node'), true);
    reopened.close();
  });
});

describe('isRuntimeInit', () => {
  const mount = (exepath: string, name: string, pname: string, path: string) =>
    ({ time: 0, type: 'mount', sensor: 'ebpf', proc: { pid: 9, name, exepath, pname }, file: { path } }) as const;
  it("skips runc mounting its own clone, whether its exe shows as the runc binary or as its sealed copy", () => {
    const target = `/var/run/docker/runtime-runc/moby/${'1'.repeat(64)}/runc.38glBk`;
    assert.equal(isRuntimeInit(mount('/', 'exe', 'runc', target)), true);
    assert.equal(isRuntimeInit(mount('/usr/sbin/runc', 'runc', 'containerd-shim', target)), true);
    assert.equal(isRuntimeInit(mount('/usr/bin/mount', 'mount', 'sh', '/mnt')), false);
    assert.equal(isRuntimeInit(mount('/usr/bin/mount', 'mount', 'sh', target)), false);
  });
});

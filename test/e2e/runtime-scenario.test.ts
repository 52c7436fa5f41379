/**
 * The runtime agent end to end on the real engine (issue 9, "Prove it"): a real HTTP container learns its
 * normal work, its model switches to monitoring, normal work stays silent, then each attack raises its
 * expected alert attributed to the right container and image. Real sensors (eBPF through bpftrace, and the
 * /proc sensor asserting only what /proc can see), the real Attributor, the real DriftDetector on the real
 * image index, and a BaselineEngine on a real SQLite store with small windows. Then: an agent restart keeps
 * the models, and a second image learns separately while the first is monitoring. Only 127.0.0.0/8.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RuntimeAgent, statePaths, type Alert } from '../../src/runtime/agent/index.js';
import { Attributor } from '../../src/runtime/attribution/attributor.js';
import { BaselineEngine, BaselineStore } from '../../src/runtime/baseline/index.js';
import { DriftDetector, engineImageOpener, ImageIndexCache } from '../../src/runtime/drift/index.js';
import { loadRuleEngine } from '../../src/runtime/rules/index.js';
import { DockerSensor } from '../../src/runtime/sensors/docker.js';
import { EbpfSensor } from '../../src/runtime/sensors/ebpf.js';
import { ProcSensor } from '../../src/runtime/sensors/proc.js';
import type { Sensor } from '../../src/runtime/sensors/types.js';
import {
  buildDerivedImage,
  docker,
  inspectContainer,
  runContainer,
  testPort,
  type TestContainer,
} from '../support/runtime-containers.js';

const LEARN_MS = 5_000;
const QUIET_MS = 3_000;
/**
 * Rate bursts: the learned per-minute statistics need whole minutes, which a 5 s window does not have,
 * so the floor (minAbsolute) decides here: the normal work is ~60 connects and ~120 execs a minute, the
 * burst is 600 connections (ten times the normal per-minute rate) within a second.
 */
const RATE = { minAbsolute: 300 };
const BURST = 600;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Perl one-liners (the base image has perl, not python3). */
function server(port: number): string {
  return (
    `$SIG{PIPE}="IGNORE"; use IO::Socket::INET; ` +
    `my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => ${port}, Listen => 1024, ReuseAddr => 1) or die "listen: $!"; ` +
    `while (my $c = $s->accept) { my $r = <$c>; print $c "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"; close $c }`
  );
}
/** One HTTP request that holds its connection open ~0.5 s (so a 250 ms /proc poll sees it). */
function client(port: number): string {
  return (
    `use IO::Socket::INET; my $c = IO::Socket::INET->new("127.0.0.1:${port}") or die "connect: $!"; ` +
    `select(undef, undef, undef, 0.5); print $c "GET / HTTP/1.0\\r\\n\\r\\n"; my $r = <$c>; close $c`
  );
}
/** `n` connections opened at once and held 1.5 s. */
function burst(port: number, n: number): string {
  return (
    `use IO::Socket::INET; my @s; for (1..${n}) { push @s, IO::Socket::INET->new("127.0.0.1:${port}") or die "connect $_: $!" } ` +
    `select(undef, undef, undef, 1.5); close $_ for @s`
  );
}
/** The app: an HTTP responder and, every second, the same small command and a request to itself. */
function appScript(port: number): string {
  return `perl -e '${server(port)}' & sleep 0.3; while true; do /bin/sleep 1; perl -e '${client(port)}'; done`;
}

type Tagged = Alert & { step: string };

interface Running {
  agent: RuntimeAgent;
  baseline: BaselineEngine;
  store: BaselineStore;
  alerts: Tagged[];
  setStep(step: string): void;
  stop(): Promise<void>;
}

async function startAgent(kind: 'ebpf' | 'proc', stateDir: string, indexes: ImageIndexCache): Promise<Running> {
  const paths = statePaths(stateDir);
  const store = BaselineStore.open(paths.store);
  const baseline = new BaselineEngine(store, { learnWindowMs: LEARN_MS, quietPeriodMs: QUIET_MS, rate: RATE });
  const sensor: Sensor = kind === 'ebpf' ? new EbpfSensor({ backoffMs: 200 }) : new ProcSensor();
  const errors: string[] = [];
  const agent = new RuntimeAgent({
    sensors: [sensor, new DockerSensor()],
    sinks: [],
    attributor: new Attributor(),
    drift: new DriftDetector(indexes.get),
    baseline,
    rules: await loadRuleEngine(),
    statusFile: paths.status,
    storePath: paths.store,
    onError: (m) => errors.push(m),
  });
  const alerts: Tagged[] = [];
  let step = 'start';
  agent.onAlert((a) => alerts.push({ ...a, step }));
  await agent.start();
  return {
    agent,
    baseline,
    store,
    alerts,
    setStep: (s) => {
      step = s;
    },
    stop: async () => {
      await agent.stop();
      store.close();
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

const why = (a: Alert): Record<string, unknown> => a.why as unknown as Record<string, unknown>;
const brief = (a: Alert): string =>
  `${a.kind} ${a.title} ${JSON.stringify(why(a))} proc=${a.event.proc?.exepath ?? '-'}[${a.event.proc?.name ?? '-'} <- ${a.event.proc?.pname ?? '-'}] args=${JSON.stringify(a.event.proc?.args ?? [])} container=${a.container?.id.slice(0, 12) ?? 'host'}`;

type Expect = { what: string; match: (a: Alert) => boolean };

const anomaly = (kind: string, test: (what: string) => boolean, what: string): Expect => ({
  what: `anomaly ${kind} ${what}`,
  match: (a) => a.kind === 'anomaly' && why(a).kind === kind && test(String(why(a).what)),
});
const drift = (kind: string, path: string): Expect => ({
  what: `drift ${kind} ${path}`,
  match: (a) => a.kind === 'drift' && why(a).kind === kind && why(a).path === path,
});
const rule = (name: string): Expect => ({ what: `rule ${name}`, match: (a) => a.kind === 'rule' && a.title === name });

/**
 * One scenario for one sensor. Returns the checks as `it`s sharing one agent and one container.
 */
function scenario(kind: 'ebpf' | 'proc'): void {
  describe(`runtime scenario with the ${kind} sensor`, { timeout: 150_000 }, () => {
    let dir: string;
    let indexes: ImageIndexCache;
    let run: Running | undefined;
    let app: TestContainer;
    let imageId: string;
    let second: TestContainer | undefined;
    const port = testPort();
    let other = testPort();
    while (other === port) other = testPort();

    /** Runs `action` in a fresh step, waits for every expectation on this container, returns the step's alerts. */
    async function step(name: string, action: () => Promise<unknown>, expects: Expect[], settleMs = 1500): Promise<Tagged[]> {
      const r = run!;
      r.setStep(name);
      await action();
      const mine = (): Tagged[] => r.alerts.filter((a) => a.step === name);
      for (const e of expects) {
        await until(`${name}: ${e.what}; got ${mine().map(brief).join(' | ') || 'nothing'}`, () => mine().find((a) => a.container?.id === app.id && e.match(a)), 15_000);
      }
      await sleep(settleMs);
      const got = mine();
      if (process.env.BULWARK_E2E_VERBOSE) for (const a of got) console.log(`[${kind}] ${name}: ${brief(a)}`);
      for (const e of expects) assert.equal(got.filter((a) => e.match(a)).length, 1, `${name}: exactly one ${e.what}: ${got.map(brief).join(' | ')}`);
      for (const a of got) {
        assert.equal(a.container?.id, app.id, `${name}: alert not from the app container: ${brief(a)}`);
        assert.equal(a.container?.imageId, imageId, `${name}: wrong image: ${brief(a)}`);
        assert.equal(a.container?.imageRepository, app.image.split(':')[0]);
        assert.equal(a.event.sensor === kind || a.event.sensor === 'docker', true, `${name}: sensor ${a.event.sensor}`);
      }
      return got;
    }

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `bulwark-rt-e2e-${kind}-`));
      indexes = new ImageIndexCache({ open: engineImageOpener(), cacheDir: join(dir, 'index-cache') });
      run = await startAgent(kind, join(dir, 'state'), indexes);
      run.setStep('learning');
      app = await runContainer(['sh', '-c', appScript(port)], { network: 'host' });
      imageId = (await inspectContainer(app.id)).imageId;
      await indexes.get(imageId); // build the image index outside the timed steps
    });
    after(async () => {
      await run?.stop().catch(() => undefined);
      await app?.remove();
      await second?.remove();
      await rm(dir, { recursive: true, force: true });
    });

    it('learns the app, switches its model to monitoring, and its normal work then raises nothing', async () => {
      const r = run!;
      await until(`model ${imageId} monitoring`, () => r.baseline.status().find((m) => m.key === imageId && m.state === 'monitoring'), 40_000);
      const m = r.baseline.status().find((x) => x.key === imageId)!;
      assert.ok(m.items.exec >= 2, `execs learned: ${JSON.stringify(m.items)}`);
      assert.ok(m.items.listen >= 1 || kind === 'proc', `listen learned: ${JSON.stringify(m.items)}`);
      assert.ok(m.items.connect >= 1, `connect learned: ${JSON.stringify(m.items)}`);
      r.setStep('normal');
      await sleep(4_000);
      const status = r.agent.status();
      const loud = r.alerts.filter((a) => a.step === 'learning' || a.step === 'normal');
      assert.deepEqual(loud.map(brief), [], 'no alert while learning and during normal work');
      assert.ok(status.queue.processed > 10, `events processed: ${status.queue.processed}`);
    });

    it('a shell through docker exec -> new executable anomaly', async () => {
      // A new executable (dash <- runc, eBPF) or, when the exec key (dash <- the shim, /proc) is the app's own
      // shell's, a new command shape: either way one anomaly about the shell.
      const shell: Expect = {
        what: 'anomaly exec|command of the shell',
        match: (a) => a.kind === 'anomaly' && (why(a).kind === 'exec' || why(a).kind === 'command') && a.event.proc?.exepath === '/usr/bin/dash' && /^sh -c id/.test(a.event.proc.args?.join(' ') ?? ''),
      };
      const got = await step('shell', () => docker(['exec', app.name, 'sh', '-c', 'id >/dev/null; sleep 1; true']), [shell]);
      assert.equal(got.filter((a) => shell.match(a)).length, 1, got.map(brief).join(' | '));
    });

    it('a package manager -> package-manager drift and the package management rule', async () => {
      const cmd = kind === 'ebpf' ? 'apt-get --version >/dev/null' : 'sleep 1.5 | dpkg --set-selections';
      const exe = kind === 'ebpf' ? '/usr/bin/apt-get' : '/usr/bin/dpkg';
      await step('package-manager', () => docker(['exec', app.name, 'sh', '-c', `${cmd}; true`]), [
        drift('package-manager', exe),
        rule('Package management process in container'),
        anomaly('exec', (w) => w.startsWith(`${exe} <- `), exe),
      ]);
    });

    it('a binary copied into /tmp and run -> binary-not-in-image drift', async () => {
      await docker(['cp', '/bin/sleep', `${app.name}:/tmp/x`]);
      await step('new-binary', () => docker(['exec', app.name, '/tmp/x', '1.5']), [
        drift('binary-not-in-image', '/tmp/x'),
        anomaly('exec', (w) => w.startsWith('/tmp/x <- '), '/tmp/x'),
      ]);
    });

    if (kind === 'ebpf') {
      it('a write into /usr/bin -> write-below-binary-dir drift and the write rule (eBPF only)', async () => {
        await step('write-usr-bin', () => docker(['exec', app.name, 'sh', '-c', 'echo x > /usr/bin/bulwark-e2e']), [
          drift('write-below-binary-dir', '/usr/bin/bulwark-e2e'),
          rule('Write below binary dir'),
          anomaly('write', (w) => w === '/usr/bin', '/usr/bin'),
        ]);
      });
    }

    it('a listener on a second port, then a connection to it -> new listening port and new destination anomalies', async () => {
      await step('listen-other', () => docker(['exec', '-d', app.name, 'perl', '-e', server(other)]), [
        anomaly('listen', (w) => w.endsWith(`/${other}`), `tcp/${other}`),
      ]);
      await step('connect-other', () => docker(['exec', app.name, 'perl', '-e', client(other)]), [
        anomaly('connect', (w) => w.endsWith(`:${other}`), `127.0.0.1:${other}`),
      ]);
    });

    it(`a burst of ${BURST} connections (ten times the normal rate) -> connect rate anomaly`, async () => {
      const got = await step('burst', () => docker(['exec', app.name, 'perl', '-e', burst(port, BURST)]), [
        anomaly('rate', (w) => w === 'connect/min', 'connect/min'),
      ]);
      assert.equal(got.filter((a) => a.kind === 'anomaly' && why(a).kind === 'rate').length, 1, 'one rate alert per minute');
    });

    if (kind === 'ebpf') {
      it('an agent restart on the same state dir keeps the model monitoring (no re-learning)', async () => {
        const before = run!.baseline.status().find((x) => x.key === imageId)!;
        await run!.stop();
        run = await startAgent(kind, join(dir, 'state'), indexes);
        const m = run.baseline.status().find((x) => x.key === imageId);
        assert.equal(m?.state, 'monitoring', 'loaded from the store as monitoring');
        assert.equal(m?.learningSince, before.learningSince);
        assert.equal(m?.monitoringSince, before.monitoringSince);
        assert.deepEqual(m?.items, before.items, 'the learned items survive the restart');
        run.setStep('after-restart');
        await sleep(3_000);
        assert.deepEqual(run.alerts.filter((a) => a.step === 'after-restart').map(brief), [], 'normal work after the restart is quiet');
        // Still monitoring: new behaviour alerts right away.
        await step('restart-new-behaviour', () => docker(['exec', app.name, 'sh', '-c', 'ls / >/dev/null; sleep 1; true']), [
          anomaly('exec', (w) => w.startsWith('/usr/bin/ls <- ') || w.startsWith('/bin/ls <- '), 'ls'),
        ]);
      });

      it('a second image learns separately while the first is monitoring', async () => {
        const image2 = await buildDerivedImage(app.image, 'rt-second');
        second = await runContainer(['sh', '-c', 'while true; do /bin/sleep 1; done'], { network: 'host', image: image2 });
        const id2 = (await inspectContainer(second.id)).imageId;
        assert.notEqual(id2, imageId);
        const r = run!;
        r.setStep('second-image');
        await until(`a model for ${id2}`, () => r.baseline.status().find((m) => m.key === id2), 15_000);
        // The same new command in both: the first image's model alerts, the learning one does not.
        const cmd = ['sh', '-c', 'uname >/dev/null; sleep 1; true'];
        await Promise.all([docker(['exec', app.name, ...cmd]), docker(['exec', second.name, ...cmd])]);
        await until('uname anomaly on the first image', () => r.alerts.find((a) => a.step === 'second-image' && a.container?.id === app.id && a.kind === 'anomaly' && String(why(a).what).includes('uname')), 15_000);
        await sleep(1_000);
        const fromSecond = r.alerts.filter((a) => a.step === 'second-image' && a.container?.id === second!.id);
        assert.deepEqual(fromSecond.map(brief), [], 'the learning model raises nothing');
        const models = r.baseline.status();
        assert.equal(models.find((m) => m.key === imageId)?.state, 'monitoring');
        assert.equal(models.find((m) => m.key === id2)?.state, 'learning');
        assert.equal(models.find((m) => m.key === id2)?.imageRepository, image2.split(':')[0]);
      });
    }
  });
}

scenario('ebpf');
scenario('proc');

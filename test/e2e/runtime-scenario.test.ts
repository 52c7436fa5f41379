/**
 * The runtime agent end to end on the real engine (issue 9, "Prove it"): a real HTTP container learns its
 * normal work, its model switches to monitoring, normal work stays silent, then each attack raises its
 * expected alert attributed to the right container and image. Real sensors (eBPF through bpftrace, and the
 * /proc sensor asserting only what /proc can see), the real Attributor, the real DriftDetector on the real
 * image index, and a BaselineEngine on a real SQLite store with small windows. Then: an agent restart keeps
 * the models, and a second image learns separately while the first is monitoring. Only 127.0.0.0/8.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RuntimeAgent, statePaths, type Alert, type Why } from '../../src/runtime/agent/index.js';
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

/**
 * The app, in the container's own shell: a Perl HTTP responder on `port`, and a loop that every second
 * writes a heartbeat, runs a one-line "job" if the test dropped one in /tmp/do (read, emptied, then eval'd
 * by the shell itself, so the attacks below are the app's own behaviour, as after a code injection, and
 * not a `docker exec`), and makes one request to itself held 1.2 s (so a /proc poll sees it). The Perl
 * scripts take their ports and counts as arguments, so another port or count is the same command shape.
 * Perl, not python3: the base image has perl.
 */
const SERVER =
  `$SIG{PIPE}="IGNORE"; use IO::Socket::INET; ` +
  `my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0], Listen => 1024, ReuseAddr => 1) or die "listen: $!"; ` +
  `while (my $c = $s->accept) { my $r = <$c>; print $c "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"; close $c }`;
/** Opens `n` connections to host:port, holds them `w` seconds, then makes one request on each. */
const CLIENT =
  `use IO::Socket::INET; my ($h, $p, $n, $w) = @ARGV; my @s; ` +
  `for (1..$n) { push @s, IO::Socket::INET->new("$h:$p") or die "connect $_: $!" } select(undef, undef, undef, $w); ` +
  `for my $c (@s) { print $c "GET / HTTP/1.0\\r\\n\\r\\n"; my $r = <$c>; close $c }`;
function appScript(port: number): string {
  return (
    `S='${SERVER}'; C='${CLIENT}'; perl -e "$S" ${port} & sleep 0.3; ` +
    `while true; do /bin/sleep 1; echo ok > /tmp/heartbeat; ` +
    `if [ -s /tmp/do ]; then read -r job < /tmp/do; : > /tmp/do; eval "$job"; fi; ` +
    `perl -e "$C" 127.0.0.1 ${port} 1 1.2; done`
  );
}

type Tagged = Alert & { step: string };

/**
 * Alerts about containers. Host events come from whatever else runs on the machine (another test run
 * reading /etc/shadow raises the host-tagged sensitive-file rule); an attack misattributed to the host
 * still fails, since every step waits for its alert on the app's container.
 */
const aboutContainers = (a: Alert): boolean => a.container !== null;

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

const brief = (a: Alert): string =>
  `${a.title} ${JSON.stringify(a.why)} proc=${a.event.proc?.exepath ?? '-'}[${a.event.proc?.name ?? '-'} <- ${a.event.proc?.pname ?? '-'}] args=${JSON.stringify(a.event.proc?.args ?? [])} container=${a.container?.id.slice(0, 12) ?? 'host'}`;

/** One expected alert: a description and the reasons it must carry (it may carry more). */
type Expect = { what: string; match: (a: Alert) => boolean };
type Reason = { what: string; has: (w: Why) => boolean };

const anomaly = (kind: string, test: (what: string) => boolean, what: string): Reason => ({
  what: `anomaly ${kind} ${what}`,
  has: (w) => w.source === 'anomaly' && w.kind === kind && test(w.what),
});
const drift = (kind: string, path: string): Reason => ({ what: `drift ${kind} ${path}`, has: (w) => w.source === 'drift' && w.kind === kind && w.path === path });
const rule = (name: string): Reason => ({ what: `rule ${name}`, has: (w) => w.source === 'rule' && w.rule === name });
/** One alert carrying every one of `reasons`. */
const alertWith = (...reasons: Reason[]): Expect => ({
  what: `one alert with ${reasons.map((r) => r.what).join(' + ')}`,
  match: (a) => reasons.every((r) => a.why.some((w) => r.has(w))),
});

/** `docker exec -it` under a pseudo-terminal (`script`), as a person at a terminal would run it. */
function dockerExecTty(name: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', `docker exec -it ${name} ${command}`, '/dev/null'], { timeout: 60_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`script docker exec -it: ${e.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** `docker exec -i` whose standard input stays open `holdMs` (a process the /proc sensor can see). */
function dockerExecHeld(name: string, args: string[], holdMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['exec', '-i', name, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.stdin.end(), holdMs);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker exec ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

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

    /** Hands the app a one-line job (through the engine, not an exec in the container). */
    async function job(line: string): Promise<void> {
      const file = join(dir, 'do');
      await writeFile(file, `${line}\n`);
      await docker(['cp', file, `${app.name}:/tmp/do`]);
    }

    /**
     * Runs `action` in a fresh step and waits for the expected alerts; then, after a settling time, the
     * step must have raised exactly those alerts (one each, nothing else), all from the app container
     * and its image.
     */
    async function step(name: string, action: () => Promise<unknown>, expects: Expect[], settleMs = 2500): Promise<Tagged[]> {
      const r = run!;
      r.setStep(name);
      await action();
      const mine = (): Tagged[] => r.alerts.filter((a) => a.step === name && aboutContainers(a));
      for (const e of expects) {
        await until(`${name}: ${e.what}; got ${mine().map(brief).join(' | ') || 'nothing'}`, () => mine().find((a) => a.container?.id === app.id && e.match(a)), 20_000);
      }
      await sleep(settleMs);
      const got = mine();
      if (process.env.BULWARK_E2E_VERBOSE) for (const a of got) console.log(`[${kind}] ${name}: ${brief(a)}`);
      assert.equal(got.length, expects.length, `${name}: exactly ${expects.map((e) => e.what).join(', ')}; got ${got.map(brief).join(' | ')}`);
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
      assert.ok(m.items.listen >= 1, `listen learned: ${JSON.stringify(m.items)}`);
      assert.ok(m.items.connect >= 1, `connect learned: ${JSON.stringify(m.items)}`);
      r.setStep('normal');
      await sleep(6_000);
      const status = r.agent.status();
      const loud = r.alerts.filter((a) => (a.step === 'learning' || a.step === 'normal') && aboutContainers(a));
      assert.deepEqual(loud.map(brief), [], 'no alert while learning and during normal work');
      assert.ok(status.queue.processed > 10, `events processed: ${status.queue.processed}`);
    });

    it('docker exec -it of a shell -> one alert: a new command shape of the shell and the terminal shell rule', async () => {
      // The exec key (dash <- the runtime) is the entrypoint's: what is new is the command shape, and a terminal.
      const shell: Reason = {
        what: 'anomaly exec|command of the shell',
        has: (w) => w.source === 'anomaly' && (w.kind === 'exec' || w.kind === 'command') && /^(\/usr\/bin\/dash|sh -c sleep)/.test(w.what),
      };
      await step('shell', () => dockerExecTty(app.name, `sh -c 'sleep 1'`), [alertWith(shell, rule('Terminal shell in container'))]);
    });

    it('a package manager -> one alert: package-manager drift, the package management rule and a new executable', async () => {
      // eBPF sees even a short run; /proc needs the process to live across a poll (stdin held open).
      const exe = kind === 'ebpf' ? '/usr/bin/apt-get' : '/usr/bin/dpkg';
      const action = kind === 'ebpf' ? () => docker(['exec', app.name, 'apt-get', '--version']) : () => dockerExecHeld(app.name, ['dpkg', '--set-selections'], 1500);
      await step('package-manager', action, [
        alertWith(drift('package-manager', exe), rule('Package management process in container'), anomaly('exec', (w) => w === `${exe} <- <runtime>`, `${exe} <- <runtime>`)),
      ]);
    });

    it('a binary copied into /tmp and run -> one alert: binary-not-in-image drift and a new executable', async () => {
      await docker(['cp', '/bin/sleep', `${app.name}:/tmp/x`]);
      await step('new-binary', () => docker(['exec', app.name, '/tmp/x', '1.5']), [
        alertWith(drift('binary-not-in-image', '/tmp/x'), anomaly('exec', (w) => w === '/tmp/x <- <runtime>', '/tmp/x <- <runtime>')),
      ]);
    });

    if (kind === 'ebpf') {
      it('the app writes into /usr/bin -> one alert: write-below-binary-dir drift, the write rule, a new written directory (eBPF only)', async () => {
        await step('write-usr-bin', () => job('echo x > /usr/bin/bulwark-e2e'), [
          alertWith(drift('write-below-binary-dir', '/usr/bin/bulwark-e2e'), rule('Write below binary dir'), anomaly('write', (w) => w === '/usr/bin', '/usr/bin')),
        ]);
      });

      it('the app reads /etc/shadow -> one alert: the sensitive file rule (eBPF only)', async () => {
        await step('read-shadow', () => job('read -r x < /etc/shadow'), [alertWith(rule('Read sensitive file untrusted'))]);
      });
    }

    it('the app listens on a second port, then connects to it -> a new listening port, then a new destination', async () => {
      await step('listen-other', () => job(`perl -e "$S" ${other} &`), [alertWith(anomaly('listen', (w) => w === `tcp/${other}`, `tcp/${other}`))]);
      await step('connect-other', () => job(`perl -e "$C" 127.0.0.1 ${other} 1 1.2`), [
        alertWith(anomaly('connect', (w) => w === `tcp/loopback:${other}`, `tcp/loopback:${other}`)),
      ]);
    });

    it(`the app opens ${BURST} connections at once (ten times its normal rate) -> one connect rate alert`, async () => {
      await step('burst', () => job(`perl -e "$C" 127.0.0.1 ${port} ${BURST} 1.5`), [alertWith(anomaly('rate', (w) => w === 'connect/min', 'connect/min'))]);
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
        await sleep(4_000);
        assert.deepEqual(run.alerts.filter((a) => a.step === 'after-restart' && aboutContainers(a)).map(brief), [], 'normal work after the restart is quiet');
        // Still monitoring: new behaviour alerts right away.
        await step('restart-new-behaviour', () => job('ls / >/dev/null'), [
          alertWith(anomaly('exec', (w) => w === '/usr/bin/ls <- /usr/bin/dash', '/usr/bin/ls <- /usr/bin/dash')),
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
        const uname = (a: Alert): boolean => a.why.some((w) => w.source === 'anomaly' && w.what.includes('uname'));
        await until('uname anomaly on the first image', () => r.alerts.find((a) => a.step === 'second-image' && a.container?.id === app.id && uname(a)), 15_000);
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

/** Dynamic baselines: learning → monitoring, anomalies and their scores, rates, accept, separate images. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BaselineEngine, type Anomaly } from '../../src/runtime/baseline/index.js';
import { addressClass, commandShape, ignoredWritePath, parentDir, parentKey, RUNTIME_PARENT } from '../../src/runtime/baseline/normalize.js';
import type { RuntimeEvent } from '../../src/runtime/events.js';
import { connect, exec, IMG_A, IMG_B, listen, MIN, normalMinute, T0, write } from './baseline-support.js';

const OPTIONS = { learnWindowMs: 10 * MIN, quietPeriodMs: 2 * MIN };

function feed(engine: BaselineEngine, events: RuntimeEvent[]): Anomaly[] {
  const out: Anomaly[] = [];
  for (const e of events) out.push(...engine.observe(e));
  return out;
}

/** An engine whose model of IMG_A learned minutes 0..11 of normal work and is monitoring. */
function trained(): BaselineEngine {
  const engine = new BaselineEngine(null, OPTIONS);
  for (let m = 0; m < 12; m++) assert.deepEqual(feed(engine, normalMinute(IMG_A, m)), []);
  assert.equal(engine.status()[0]?.state, 'monitoring');
  return engine;
}

describe('baseline normalization', () => {
  it('command shapes replace numbers, hex ids, UUIDs and /tmp paths', () => {
    assert.equal(
      commandShape('python3', ['/usr/bin/python3', 'run.py', '--port=8080', '/tmp/x-1/y.json', '0a1b2c3d4e5f6a7b', '6f1c2d3e-1111-4a4a-9b9b-0123456789ab', 'python3.11']),
      'python3 run.py --port=<n> <tmp> <hex> <uuid> python3.11',
    );
    assert.equal(commandShape('sh', undefined), 'sh');
    assert.equal(parentDir('/proc/1234/fd/3'), '/proc/<n>/fd');
    assert.equal(parentDir('/tmp/build-77/a/b'), '/tmp/<tmp>');
    assert.equal(parentDir('/usr/bin/x'), '/usr/bin');
  });

  it('destination classes collapse loopback and private ranges, keep the rest exact', () => {
    assert.equal(addressClass('127.0.0.9'), 'loopback');
    assert.equal(addressClass('::1'), 'loopback');
    assert.equal(addressClass('::ffff:10.1.2.3'), 'private');
    assert.equal(addressClass('172.20.0.1'), 'private');
    assert.equal(addressClass('172.32.0.1'), '172.32.0.1');
    assert.equal(addressClass('169.254.169.254'), '169.254.169.254');
    assert.equal(addressClass('fd12::1'), 'private');
  });

  it("the container runtime as a parent is one token, whichever of its processes a sensor caught", () => {
    // A docker exec process: runc's child at exec time, the shim's once runc exits, or runc's sealed clone.
    for (const [exe, name] of [
      ['/usr/sbin/runc', 'runc'],
      [undefined, 'runc'],
      ['/usr/bin/containerd-shim-runc-v2', 'containerd-shim'],
      [undefined, 'containerd-shim'],
      ['/', 'runc:[2:INIT]'],
      ['/memfd:runc_cloned:/proc/self/exe (deleted)', 'runc:[1:CHILD]'],
      ['/usr/bin/crun', 'crun'],
    ] as Array<[string | undefined, string]>) {
      assert.equal(parentKey(exe, name), RUNTIME_PARENT, `${exe} ${name}`);
    }
    assert.equal(parentKey('/usr/bin/dash', 'sh'), '/usr/bin/dash');
    assert.equal(parentKey(undefined, 'python3'), 'python3');
    assert.equal(parentKey('/opt/app/runcible', 'runcible'), '/opt/app/runcible');
    assert.equal(parentKey(undefined, undefined), '?');
  });

  it('writes to /dev/null, terminals and own descriptors, and relative paths, are not behaviour', () => {
    for (const p of ['/dev/null', '/dev/tty', '/dev/pts/3', '/dev/fd/1', '/proc/self/fd/2', '/proc/42/fd/1', 'relative/file', '']) assert.equal(ignoredWritePath(p), true, p);
    for (const p of ['/dev/sda', '/dev/shm/x', '/etc/passwd', '/usr/bin/x', '/proc/sys/kernel/core_pattern', '/tmp/a']) assert.equal(ignoredWritePath(p), false, p);
  });
});

describe('BaselineEngine', () => {
  it('learns for the window, then until quiet for the quiet period, then monitors', () => {
    const engine = new BaselineEngine(null, OPTIONS);
    for (let m = 0; m < 9; m++) feed(engine, normalMinute(IMG_A, m));
    // Something new at 9:30 restarts the quiet period: monitoring not before 11:30.
    feed(engine, [exec(T0 + 9 * MIN + 30_000, IMG_A, '/usr/bin/gzip', ['gzip', '-9', 'log'])]);
    feed(engine, normalMinute(IMG_A, 9));
    feed(engine, normalMinute(IMG_A, 10));
    assert.equal(engine.status()[0]?.state, 'learning', 'window passed, quiet period not');
    feed(engine, normalMinute(IMG_A, 11));
    let s = engine.status()[0];
    assert.equal(s?.state, 'monitoring');
    assert.ok(s?.monitoringSince !== undefined && s.monitoringSince >= T0 + 11 * MIN + 30_000 && s.monitoringSince < T0 + 12 * MIN);
    assert.equal(s?.learningSince, T0);
    assert.equal(s?.items.exec, 2);
    assert.equal(s?.items.listen, 1);
    assert.equal(s?.items.connect, 1);
    assert.equal(s?.items.write, 1);
    assert.equal(s?.items.user, 1);

    // tick(): the window alone does not switch; quiet time does.
    const e2 = new BaselineEngine(null, OPTIONS);
    feed(e2, normalMinute(IMG_A, 0));
    e2.tick(T0 + 9 * MIN);
    assert.equal(e2.status()[0]?.state, 'learning');
    e2.tick(T0 + 10 * MIN);
    s = e2.status()[0];
    assert.equal(s?.state, 'monitoring');
    assert.equal(s?.monitoringSince, T0 + 10 * MIN);
  });

  it('normal behaviour after the switch raises nothing', () => {
    const engine = trained();
    for (let m = 12; m < 40; m++) assert.deepEqual(feed(engine, normalMinute(IMG_A, m)), [], `minute ${m}`);
  });

  it('ignores host events and events without an image ID', () => {
    const engine = new BaselineEngine(null, OPTIONS);
    const host = exec(T0, IMG_A, '/bin/sh', ['sh']);
    delete host.container;
    assert.deepEqual(engine.observe(host), []);
    const noImage = exec(T0, IMG_A, '/bin/sh', ['sh']);
    noImage.container = { id: 'f'.repeat(64) };
    assert.deepEqual(engine.observe(noImage), []);
    assert.deepEqual(engine.status(), []);
  });

  it('each kind fires exactly once for a new behaviour, scored new < risky', () => {
    const engine = trained();
    const t = T0 + 12 * MIN + 5000;
    const one = (ev: RuntimeEvent): Anomaly => {
      const out = engine.observe(ev);
      assert.equal(out.length, 1, `${ev.type}: ${JSON.stringify(out)}`);
      return out[0] as Anomaly;
    };
    const harmless = one(exec(t, IMG_A, '/usr/bin/date', ['date', '+%s']));
    assert.equal(harmless.kind, 'exec');
    assert.equal(harmless.what, '/usr/bin/date <- /usr/sbin/nginx');
    assert.equal(harmless.model, IMG_A);
    assert.equal(harmless.imageRepository, 'shop/web');
    assert.match(harmless.containerId ?? '', /^[0-9a-f]{64}$/);
    const shell = one(exec(t + 1, IMG_A, '/usr/bin/dash', ['sh', '-c', 'id']));
    assert.equal(shell.kind, 'exec');
    assert.match(shell.reason, /a shell/);
    assert.ok(shell.score > harmless.score, `shell ${shell.score} > harmless ${harmless.score}`);
    const apt = one(exec(t + 2, IMG_A, '/usr/bin/apt-get', ['apt-get', 'install', '-y', 'nmap']));
    assert.ok(apt.score > harmless.score);
    // Same program, same parent, new shape: a command anomaly, less novel than a new program.
    const cmd = one(exec(t + 3, IMG_A, '/usr/bin/python3.11', ['python3', '-c', 'import os']));
    assert.equal(cmd.kind, 'command');
    assert.equal(cmd.what, 'python3 -c import os');
    assert.ok(cmd.score < harmless.score, `variant ${cmd.score} < new ${harmless.score}`);
    // Known program under a new parent: exec, partially known.
    const parent = one(exec(t + 4, IMG_A, '/usr/bin/python3.11', ['python3', '/app/worker.py'], { pname: 'bash', pexepath: '/usr/bin/bash' }));
    assert.equal(parent.kind, 'exec');
    assert.ok(parent.score < harmless.score);

    const lsn = one(listen(t + 5, IMG_A, 9999));
    assert.equal(lsn.kind, 'listen');
    assert.equal(lsn.what, 'tcp/9999');
    const port = one(connect(t + 6, IMG_A, '127.0.0.5', 9999));
    assert.equal(port.kind, 'connect');
    assert.equal(port.what, 'tcp/loopback:9999');
    const meta = one(connect(t + 7, IMG_A, '169.254.169.254', 80));
    assert.ok(meta.score > port.score);
    const wr = one(write(t + 8, IMG_A, '/usr/bin/evil'));
    assert.equal(wr.kind, 'write');
    assert.equal(wr.what, '/usr/bin');
    assert.equal(wr.detail, '/usr/bin/evil');
    const harmlessWrite = one(write(t + 9, IMG_A, '/srv/data/x'));
    assert.ok(wr.score > harmlessWrite.score);
    const root = one(write(t + 10, IMG_A, '/var/cache/app/z.tmp', 0));
    assert.equal(root.kind, 'user');
    assert.equal(root.what, '0');
    for (const a of [harmless, shell, apt, cmd, parent, lsn, port, meta, wr, harmlessWrite, root]) {
      assert.ok(Number.isInteger(a.score) && a.score >= 0 && a.score <= 100, `${a.kind} ${a.score}`);
      assert.ok(a.reason.length > 0);
    }
    // Not learned in monitoring: the same behaviour fires again (until accepted).
    assert.equal(engine.observe(exec(t + 11, IMG_A, '/usr/bin/date', ['date', '+%s'])).length, 1);
  });

  it('a burst ten times the learned rate fires once; normal variation does not', () => {
    const engine = new BaselineEngine(null, { ...OPTIONS, learnWindowMs: 30 * MIN });
    for (let m = 0; m < 32; m++) feed(engine, normalMinute(IMG_A, m));
    const s = engine.status()[0];
    assert.equal(s?.state, 'monitoring');
    assert.ok((s?.rates.exec.mean ?? 0) > 8 && (s?.rates.exec.mean ?? 0) < 15, JSON.stringify(s?.rates));
    for (let m = 32; m < 50; m++) assert.deepEqual(feed(engine, normalMinute(IMG_A, m)), [], `minute ${m}`);
    // Minute 50: 120 connections (10x), normal execs.
    const burst: RuntimeEvent[] = normalMinute(IMG_A, 50);
    for (let i = 0; i < 110; i++) burst.push(connect(T0 + 50 * MIN + 2000 + i * 400, IMG_A, '127.0.0.1', 5432));
    burst.sort((a, b) => a.time - b.time);
    const out = feed(engine, burst);
    assert.equal(out.length, 1, JSON.stringify(out));
    assert.equal(out[0]?.kind, 'rate');
    assert.equal(out[0]?.what, 'connect/min');
    assert.ok((out[0]?.score ?? 0) >= 50);
    // The burst is not learned: the next minute is normal, a second burst fires again.
    assert.deepEqual(feed(engine, normalMinute(IMG_A, 51)), []);
    const again: RuntimeEvent[] = [];
    for (let i = 0; i < 120; i++) again.push(connect(T0 + 52 * MIN + 100 + i * 400, IMG_A, '127.0.0.1', 5432));
    for (let i = 0; i < 120; i++) again.push(exec(T0 + 52 * MIN + i * 400, IMG_A, '/usr/bin/python3.11', ['python3', '/app/worker.py', `--job=${i}`, '/tmp/j', '--id=ffffffffffff']));
    const ex = feed(engine, again);
    assert.deepEqual(ex.map((a) => `${a.kind} ${a.what}`).sort(), ['rate connect/min', 'rate exec/min']);
  });

  it('accept() makes the next identical event normal, for items and rates', () => {
    const engine = trained();
    const t = T0 + 12 * MIN + 5000;
    const [a] = engine.observe(connect(t, IMG_A, '127.0.0.7', 6379));
    assert.ok(a);
    engine.accept(IMG_A, a);
    assert.deepEqual(engine.observe(connect(t + 1, IMG_A, '127.0.0.7', 6379)), []);
    assert.deepEqual(engine.observe(connect(t + 2, IMG_A, '127.0.0.8', 6379)), [], 'loopback collapses');
    const [sh] = engine.observe(exec(t + 3, IMG_A, '/usr/bin/dash', ['sh', '-c', 'backup']));
    assert.ok(sh);
    assert.deepEqual(sh.implied, [{ kind: 'command', what: 'sh -c backup' }]);
    engine.accept(IMG_A, sh);
    // The shell and its command shape are accepted; another shape of it is a (less novel) command anomaly.
    assert.deepEqual(engine.observe(exec(t + 4, IMG_A, '/usr/bin/dash', ['sh', '-c', 'backup'])), []);
    const other = engine.observe(exec(t + 5, IMG_A, '/usr/bin/dash', ['sh', '-c', 'restore']));
    assert.deepEqual(other.map((x) => x.kind), ['command']);
    assert.ok((other[0]?.score ?? 100) < (sh.score ?? 0));

    const burst = (m: number) => {
      const evs: RuntimeEvent[] = [];
      for (let i = 0; i < 100; i++) evs.push(connect(T0 + m * MIN + i * 500, IMG_A, '127.0.0.1', 5432));
      return feed(engine, evs);
    };
    const [r] = burst(20);
    assert.equal(r?.kind, 'rate');
    engine.accept(IMG_A, r as Anomaly);
    assert.deepEqual(burst(21), []);
    assert.throws(() => engine.accept(IMG_B, r as Anomaly), /no baseline model/);
  });

  it('two images learn separately: one monitors while the other learns', () => {
    const engine = trained();
    const t = T0 + 12 * MIN + 5000;
    // B starts now and learns; the same new behaviour is an anomaly only for A.
    assert.deepEqual(engine.observe(exec(t, IMG_B, '/usr/bin/curl', ['curl', 'http://127.0.0.1:8080/'])), []);
    const a = engine.observe(exec(t, IMG_A, '/usr/bin/curl', ['curl', 'http://127.0.0.1:8080/']));
    assert.equal(a.length, 1);
    assert.match(a[0]?.reason ?? '', /network tool/);
    const [sa, sb] = engine.status();
    assert.equal(sa?.key, IMG_A);
    assert.equal(sa?.state, 'monitoring');
    assert.equal(sb?.key, IMG_B);
    assert.equal(sb?.state, 'learning');
    assert.equal(sb?.learningSince, t);
    assert.equal(sb?.imageRepository, 'shop/worker');
    assert.equal(sb?.items.exec, 1);
    assert.equal(sa?.items.exec, 1, 'A did not learn curl');
    assert.ok(engine.reset(IMG_B));
    assert.equal(engine.status().length, 1);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Attributor } from '../../src/runtime/attribution/attributor.js';
import { containerIdFromCgroup, type RuntimeEvent } from '../../src/runtime/events.js';
import { ProcSensor } from '../../src/runtime/sensors/proc.js';
import {
  hexToIpv4,
  hexToIpv6,
  isYoung,
  parseLoadavgTasks,
  parseProcNetTcp,
  parseStat,
  pickCgroupPath,
  ProcFile,
  tcpActivity,
} from '../../src/runtime/sensors/procfs.js';
import { docker, EventLog, runContainer, testPort, type TestContainer } from '../support/runtime-containers.js';

describe('procfs parsers', () => {
  it('parses stat with a comm holding spaces and parentheses', () => {
    const s = parseStat('42 (my (odd) name) S 7 42 42 34816 42 4194304 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0');
    assert.deepEqual(s, { comm: 'my (odd) name', state: 'S', ppid: 7, ttyNr: 34816, startTime: 12345 });
  });
  it('decodes /proc/net/tcp addresses (little-endian words) and picks the container cgroup', () => {
    assert.equal(hexToIpv4('0100007F'), '127.0.0.1');
    assert.equal(hexToIpv6('00000000000000000000000001000000'), '::1');
    assert.equal(hexToIpv6('0000000000000000FFFF00000100007F'), '127.0.0.1');
    const row = '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 98765 1 0 100 0 0 10 0';
    assert.deepEqual(parseProcNetTcp(`header\n${row}\n`, false), [
      { sip: '127.0.0.1', sport: 8080, dip: '0.0.0.0', dport: 0, state: '0A', uid: 0, inode: 98765 },
    ]);
    const id = 'a'.repeat(64);
    assert.equal(pickCgroupPath(`12:pids:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`), `/docker/${id}`);
    assert.equal(pickCgroupPath('0::/user.slice\n'), '/user.slice');
  });
});

describe('cheap change detection', () => {
  it('calls a process young only within the window after its start time', () => {
    // start at 1000 ticks = 10 s after boot
    assert.equal(isYoung(1000, 15, 10_000), true); // 5 s old
    assert.equal(isYoung(1000, 19.99, 10_000), true);
    assert.equal(isYoung(1000, 20, 10_000), false); // exactly 10 s
    assert.equal(isYoung(1000, 100, 10_000), false);
    assert.equal(isYoung(1000, 9, 10_000), true); // start after "now" (skew): young
  });
  it('fingerprints the task set from loadavg (total threads, last pid)', () => {
    assert.equal(parseLoadavgTasks('0.70 1.38 1.72 1/109 24896\n'), '109 24896');
    assert.notEqual(parseLoadavgTasks('0.70 1.38 1.72 1/109 24897\n'), parseLoadavgTasks('0.70 1.38 1.72 1/109 24896\n'));
    assert.notEqual(parseLoadavgTasks('0.70 1.38 1.72 1/108 24896\n'), parseLoadavgTasks('0.70 1.38 1.72 1/109 24896\n'));
    // the running count and the load averages do not matter
    assert.equal(parseLoadavgTasks('9.00 1.00 1.00 7/109 24896'), '109 24896');
    assert.equal(parseLoadavgTasks('garbage'), undefined);
  });
  it('fingerprints a namespace TCP activity from snmp and sockstat, ignoring unrelated counters', () => {
    const snmp = (active: number, passive: number, estab: number, inSegs: number): string =>
      'Ip: Forwarding DefaultTTL\nIp: 1 64\n' +
      'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs\n' +
      `Tcp: 1 200 120000 -1 ${active} ${passive} 0 0 ${estab} ${inSegs} 5\n`;
    const ss = (inuse: number, mem: number): string => `sockets: used 48\nTCP: inuse ${inuse} orphan 0 tw 1 alloc 3 mem ${mem}\nUDP: inuse 0 mem 0\n`;
    const ss6 = (inuse: number): string => `TCP6: inuse ${inuse}\nUDP6: inuse 0\n`;
    const base = tcpActivity(snmp(10, 5, 2, 100), ss(3, 1), ss6(1));
    assert.equal(base, '10 5 2 3 1');
    assert.equal(tcpActivity(snmp(10, 5, 2, 999), ss(3, 77), ss6(1)), base, 'segments and memory do not count');
    assert.notEqual(tcpActivity(snmp(11, 5, 2, 100), ss(3, 1), ss6(1)), base, 'a connect');
    assert.notEqual(tcpActivity(snmp(10, 6, 2, 100), ss(3, 1), ss6(1)), base, 'an accept');
    assert.notEqual(tcpActivity(snmp(10, 5, 3, 100), ss(3, 1), ss6(1)), base, 'a handshake completed');
    assert.notEqual(tcpActivity(snmp(10, 5, 2, 100), ss(4, 1), ss6(1)), base, 'a v4 listener');
    assert.notEqual(tcpActivity(snmp(10, 5, 2, 100), ss(3, 1), ss6(2)), base, 'a v6 listener');
    assert.equal(tcpActivity(undefined, ss(3, 1), ss6(1)), undefined);
  });
  it('ProcFile re-reads an open file from the start and reopens a replaced one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procfile-'));
    try {
      const path = join(dir, 'f');
      writeFileSync(path, 'one');
      const f = new ProcFile(path);
      assert.equal(f.read(), 'one');
      writeFileSync(path, 'two!');
      assert.equal(f.read(), 'two!');
      unlinkSync(path);
      assert.equal(f.read(), 'two!', 'the open fd still reads the unlinked file');
      f.close();
      assert.equal(f.read(), undefined);
      writeFileSync(path, 'three');
      assert.equal(f.read(), 'three');
      f.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A fake /proc: loadavg, uptime, self -> this pid, and processes with stat, cmdline, status, cgroup, exe. */
class FakeProc {
  readonly root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  constructor() {
    symlinkSync(String(process.pid), join(this.root, 'self'));
    this.set(100, 0);
  }
  /** `uptimeS` seconds since boot; `lastPid`: loadavg's last pid. */
  set(uptimeS: number, lastPid: number): void {
    writeFileSync(join(this.root, 'uptime'), `${uptimeS.toFixed(2)} 0.00\n`);
    writeFileSync(join(this.root, 'loadavg'), `0.00 0.00 0.00 1/50 ${lastPid}\n`);
  }
  process(pid: number, name: string, exe: string, startS: number): void {
    const d = join(this.root, String(pid));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'stat'), `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 ${Math.round(startS * 100)} 0 0\n`);
    writeFileSync(join(d, 'cmdline'), `${name}\0`);
    writeFileSync(join(d, 'status'), 'Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n');
    writeFileSync(join(d, 'cgroup'), '0::/\n');
    this.exe(pid, exe);
  }
  exe(pid: number, exe: string): void {
    const link = join(this.root, String(pid), 'exe');
    rmSync(link, { force: true });
    symlinkSync(exe, link);
  }
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

describe('ProcSensor change detection on a fake /proc', () => {
  it('re-reads the exe link of young processes only: an exec in an old pid is not seen (the documented limit)', async () => {
    const fake = new FakeProc();
    const events: RuntimeEvent[] = [];
    const sensor = new ProcSensor({ procRoot: fake.root, network: false, intervalMs: 60_000, execRecheckMs: 10_000 });
    try {
      fake.process(10, 'old', '/usr/bin/old', 50); // 50 s old
      fake.process(20, 'runc:[2:INIT]', '/', 97); // 3 s old
      await sensor.start((e) => events.push(e));
      fake.exe(20, '/usr/bin/dash');
      fake.exe(10, '/usr/bin/other');
      await sensor.poll(false);
      assert.deepEqual(events.map((e) => `${e.type} ${e.proc?.pid} ${e.proc?.exepath}`), ['exec 20 /usr/bin/dash']);
      assert.equal(sensor.work.exeRechecks, 1, 'the old pid costs no readlink');
      // 20 ages out of the window: its next exec is not seen either
      fake.set(120, 0);
      fake.exe(20, '/usr/bin/perl');
      await sensor.poll(false);
      assert.equal(events.length, 1);
    } finally {
      await sensor.stop();
      fake.remove();
    }
  });

  it('lists /proc only when the loadavg task fingerprint changed', async () => {
    const fake = new FakeProc();
    const events: RuntimeEvent[] = [];
    const sensor = new ProcSensor({ procRoot: fake.root, network: false, intervalMs: 60_000 });
    try {
      fake.set(100, 500);
      fake.process(10, 'old', '/usr/bin/old', 50);
      await sensor.start((e) => events.push(e));
      fake.process(30, 'new', '/usr/bin/new', 99.5);
      await sensor.poll(false); // same fingerprint: the fake pid 30 is not looked for
      assert.equal(events.length, 0);
      assert.equal(sensor.work.listings, 1);
      fake.set(100, 501);
      await sensor.poll(false);
      assert.deepEqual(events.map((e) => `${e.type} ${e.proc?.pid}`), ['exec 30']);
      assert.equal(sensor.work.listings, 2);
      rmSync(join(fake.root, '10'), { recursive: true });
      fake.set(100, 501); // an exit without a fork would lower the thread total: unchanged -> not listed
      await sensor.poll(false);
      assert.equal(events.length, 1);
      writeFileSync(join(fake.root, 'loadavg'), '0.00 0.00 0.00 1/49 501\n');
      await sensor.poll(false);
      assert.deepEqual(events.map((e) => `${e.type} ${e.proc?.pid}`), ['exec 30', 'exit 10']);
    } finally {
      await sensor.stop();
      fake.remove();
    }
  });
});

describe('ProcSensor on real containers', () => {
  let sensor: ProcSensor;
  const log = new EventLog<RuntimeEvent>();
  const containers: TestContainer[] = [];
  const attributor = new Attributor();

  before(async () => {
    sensor = new ProcSensor({ intervalMs: 100 });
    await sensor.start(log.push);
  });
  after(async () => {
    await sensor.stop();
    await Promise.all(containers.map((c) => c.remove()));
  });

  it('sees a docker exec inside a container, attributed to that container and its image', async () => {
    const c = await runContainer(['sleep', '600'], { network: 'none' });
    containers.push(c);
    await c.exec(['sleep', '5'], { detach: true });
    const e = await log.waitFor('exec of sleep 5 in the container', (x) =>
      x.type === 'exec' && x.proc?.args?.join(' ') === 'sleep 5' && containerIdFromCgroup(x.cgroup ?? '') === c.id,
    );
    assert.equal(e.sensor, 'proc');
    assert.equal(e.proc?.name, 'sleep');
    assert.equal(e.proc?.exepath, '/usr/bin/sleep');
    assert.equal(e.proc?.uid, 0);
    assert.equal(e.proc?.tty, false);
    assert.ok(e.proc?.ppid && e.proc.ppid > 0);
    await attributor.attribute(e);
    const imageId = (await docker(['inspect', '-f', '{{.Image}}', c.id])).trim();
    const [repo, tag] = c.image.split(':');
    assert.equal(e.container?.id, c.id);
    assert.equal(e.container?.name, c.name);
    assert.equal(e.container?.imageRepository, repo);
    assert.equal(e.container?.imageTag, tag);
    assert.equal(e.container?.imageId, imageId);
    assert.ok(e.container?.startedAt && Date.parse(e.container.startedAt) > Date.now() - 600_000);
    // the sleep exits after 5 s: the diff reports it gone
    await log.waitFor('exit of that sleep', (x) => x.type === 'exit' && x.proc?.pid === e.proc?.pid, 15_000);
  });

  it('sees a listening socket in a --network host container as listen, attributed', async () => {
    const port = testPort();
    const script = `use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => ${port}, Listen => 5, ReuseAddr => 1) or die "listen: $!"; sleep 600;`;
    const c = await runContainer(['perl', '-e', script], { network: 'host' });
    containers.push(c);
    const e = await log.waitFor(`listen on 127.0.0.1:${port}`, (x) => x.type === 'listen' && x.net?.sport === port);
    assert.equal(e.net?.sip, '127.0.0.1');
    assert.equal(e.net?.protocol, 'tcp');
    assert.equal(e.proc?.name, 'perl');
    assert.equal(containerIdFromCgroup(e.cgroup ?? ''), c.id);
    await attributor.attribute(e);
    assert.equal(e.container?.id, c.id);
    // reported once per socket inode, not on every poll
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(log.events.filter((x) => x.type === 'listen' && x.net?.sport === port).length, 1);
  });

  it('sees an exec in the same pid of a young process (sh -c "sleep; exec sleep")', async () => {
    const marker = `${10 + Math.floor(Math.random() * 1000)}.25`;
    const child = spawn('sh', ['-c', `sleep 0.6; exec sleep ${marker}`]);
    try {
      const e = await log.waitFor('exec of sleep in the shell pid', (x) => x.type === 'exec' && x.proc?.pid === child.pid && x.proc?.args?.[1] === marker);
      assert.equal(e.proc?.exepath, '/usr/bin/sleep');
      assert.ok(log.events.some((x) => x.type === 'exec' && x.proc?.pid === child.pid && x.proc?.exepath !== '/usr/bin/sleep'), 'the shell itself was reported first');
    } finally {
      child.kill();
    }
  });

  it('reports an outbound connection held 1 s once, attributed to the process holding it', async () => {
    const server = createServer((c) => c.on('error', () => undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const child = spawn(process.execPath, ['-e', `const c = require('net').connect(${port}, '127.0.0.1', () => setTimeout(() => { c.end(); process.exit(0); }, 1000));`]);
    try {
      const e = await log.waitFor(`connect to ${port}`, (x) => x.type === 'connect' && x.net?.dport === port);
      assert.equal(e.proc?.pid, child.pid);
      assert.equal(e.net?.dip, '127.0.0.1');
      await new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(log.events.filter((x) => x.type === 'connect' && x.net?.dport === port).length, 1);
    } finally {
      child.kill();
      server.close();
    }
  });

  it('reports a host process with no container', async () => {
    const marker = `${10 + Math.floor(Math.random() * 1000)}.5`;
    const child = spawn('sleep', [marker]);
    try {
      const e = await log.waitFor('host sleep', (x) => x.type === 'exec' && x.proc?.pid === child.pid);
      assert.deepEqual(e.proc?.args, ['sleep', marker]);
      await attributor.attribute(e);
      assert.equal(e.container, undefined);
    } finally {
      child.kill();
    }
    assert.deepEqual(sensor.stats().errors, []);
    assert.ok(sensor.stats().events >= 3);
  });
});

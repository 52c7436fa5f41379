import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Attributor } from '../../src/runtime/attribution/attributor.js';
import { containerIdFromCgroup, type RuntimeEvent } from '../../src/runtime/events.js';
import { ProcSensor } from '../../src/runtime/sensors/proc.js';
import { hexToIpv4, hexToIpv6, parseProcNetTcp, parseStat, pickCgroupPath } from '../../src/runtime/sensors/procfs.js';
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

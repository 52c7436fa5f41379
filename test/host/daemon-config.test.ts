import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  booleanSetting,
  cmdlineSetting,
  daemonJsonKey,
  daemonSetting,
  listSetting,
  stringSetting,
} from '../../src/host/daemon-config.js';
import { chooseDaemon, daemonHosts } from '../../src/host/proc.js';

const argv = [
  '/usr/bin/dockerd',
  '-H', 'fd://',
  '--host=tcp://127.0.0.1:2376',
  '--log-level', 'warn',
  '--log-level=debug',
  '--icc=false',
  '--live-restore',
  '--userland-proxy=0',
  '--insecure-registry', 'a.example:5000',
  '--insecure-registry=b.example:5000',
  '--default-ulimit', 'nofile=100:200',
  '--storage-opt', 'dm.basesize=20G',
  '-l', 'error',
  '--no-new-privileges=true',
  '--containerd=/run/containerd/containerd.sock',
];

describe('daemonSetting: the dockerd command line', () => {
  const view = { daemon: { pid: 1, argv } };

  it('reads --flag=value and --flag value, the last one winning, short and long names alike', () => {
    assert.deepEqual(daemonSetting(view, '--log-level'), { value: 'error', source: 'cmdline' });
    assert.equal(stringSetting(view, 'log-level'), 'error');
    assert.equal(stringSetting(view, '-l'), 'error');
    assert.equal(stringSetting(view, 'containerd'), '/run/containerd/containerd.sock');
  });

  it('reads boolean flags: bare is true, =false and =0 are false', () => {
    assert.equal(booleanSetting(view, '--icc'), false);
    assert.equal(booleanSetting(view, 'live-restore'), true);
    assert.equal(booleanSetting(view, 'userland-proxy'), false);
    assert.equal(booleanSetting(view, 'no-new-privileges'), true);
    assert.equal(booleanSetting(view, 'iptables'), undefined);
  });

  it('accumulates repeated flags', () => {
    assert.deepEqual(listSetting(view, 'insecure-registry'), ['a.example:5000', 'b.example:5000']);
    assert.deepEqual(listSetting(view, '-H'), ['fd://', 'tcp://127.0.0.1:2376']);
    assert.deepEqual(listSetting(view, '--host'), ['fd://', 'tcp://127.0.0.1:2376']);
    assert.deepEqual(daemonHosts(argv), ['fd://', 'tcp://127.0.0.1:2376']);
  });

  it('a boolean flag does not swallow the next argument', () => {
    assert.equal(cmdlineSetting(['dockerd', '--live-restore', '--icc=false'], 'icc'), false);
    assert.equal(cmdlineSetting(['dockerd', '--debug', '-l', 'info'], 'log-level'), 'info');
    assert.equal(cmdlineSetting(['dockerd', '-D'], 'debug'), true);
    assert.equal(cmdlineSetting(['dockerd'], 'debug'), undefined);
  });
});

describe('daemonSetting: daemon.json, and both together', () => {
  it('maps flag names to daemon.json keys', () => {
    assert.equal(daemonJsonKey('--insecure-registry'), 'insecure-registries');
    assert.equal(daemonJsonKey('--default-ulimit'), 'default-ulimits');
    assert.equal(daemonJsonKey('--authorization-plugin'), 'authorization-plugins');
    assert.equal(daemonJsonKey('--storage-opt'), 'storage-opts');
    assert.equal(daemonJsonKey('-H'), 'hosts');
    assert.equal(daemonJsonKey('--log-level'), 'log-level');
    assert.equal(daemonJsonKey('--icc'), 'icc');
    assert.equal(daemonJsonKey('--userns-remap'), 'userns-remap');
  });

  it('takes the command line first, daemon.json for what the command line leaves unset', () => {
    const view = {
      daemon: { pid: 1, argv: ['dockerd', '--icc=false'] },
      daemonJson: {
        'log-level': 'debug',
        'insecure-registries': ['c.example'],
        'default-ulimits': { nofile: { Name: 'nofile', Hard: 64000, Soft: 64000 } },
        'userns-remap': 'default',
        'live-restore': true,
        'authorization-plugins': [],
      },
    };
    assert.deepEqual(daemonSetting(view, 'icc'), { value: false, source: 'cmdline' });
    assert.deepEqual(daemonSetting(view, 'log-level'), { value: 'debug', source: 'daemon.json' });
    assert.deepEqual(listSetting(view, 'insecure-registry'), ['c.example']);
    assert.deepEqual(listSetting(view, 'default-ulimit'), ['nofile={"Name":"nofile","Hard":64000,"Soft":64000}']);
    assert.deepEqual(listSetting(view, 'authorization-plugin'), []);
    assert.equal(stringSetting(view, 'userns-remap'), 'default');
    assert.equal(booleanSetting(view, 'live-restore'), true);
    assert.equal(daemonSetting(view, 'cgroup-parent'), undefined);
  });

  it('works without a daemon process (a --root tree without /proc)', () => {
    assert.equal(booleanSetting({ daemonJson: { icc: false } }, 'icc'), false);
    assert.equal(daemonSetting({}, 'icc'), undefined);
  });
});

describe('chooseDaemon', () => {
  const processes = [
    { pid: 1, argv: ['/sbin/init'] },
    { pid: 100, argv: ['/usr/bin/dockerd', '-H', 'fd://'] },
    { pid: 200, argv: ['dockerd', '-H', 'unix:///tmp/t/d.sock', '--data-root=/tmp/t'] },
    { pid: 300, argv: ['/usr/bin/dockerd-rootless.sh'] },
    { pid: 400, argv: ['containerd', '--config', 'x'] },
  ];
  it('picks the dockerd listening on the given socket', () => {
    assert.equal(chooseDaemon(processes, 'unix:///tmp/t/d.sock')?.pid, 200);
    assert.equal(chooseDaemon(processes, '/tmp/t/d.sock')?.pid, 200);
    assert.equal(chooseDaemon(processes, '/var/run/docker.sock')?.pid, 100);
    assert.equal(chooseDaemon(processes, '/tmp/other.sock'), undefined);
  });
  it('without a socket: the one on the default socket', () => {
    assert.equal(chooseDaemon(processes)?.pid, 100);
    assert.equal(chooseDaemon(processes.filter((p) => p.pid !== 100))?.pid, 200);
    assert.equal(chooseDaemon([{ pid: 5, argv: ['dockerd', '-H', 'unix:///var/run/docker.sock'] }], '/run/docker.sock')?.pid, 5);
  });
});

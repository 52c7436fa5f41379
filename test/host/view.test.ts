import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { buildHostView } from '../../src/host/view.js';
import { CHECKS as SECTION2 } from '../../src/modules/rules/host/section2/index.js';
import { CHECKS as SECTION3 } from '../../src/modules/rules/host/section3/index.js';
import { GROUP, PASSWD, makeHostRoot, procEntries } from '../support/host-root.js';
import type { HostRoot, TreeEntry } from '../support/host-root.js';

const roots: HostRoot[] = [];
after(async () => {
  for (const r of roots) await r.cleanup();
});

async function tree(entries: TreeEntry[]): Promise<HostRoot> {
  const t = await makeHostRoot(entries);
  roots.push(t);
  return t;
}

const check = (id: string) => [...SECTION2, ...SECTION3].find((c) => c.meta.id === id)!;

describe('buildHostView: files strictly inside the root', () => {
  it('resolves absolute and relative symlinks inside the root, never on the live host', async () => {
    const t = await tree([
      { path: '/etc/passwd', content: PASSWD },
      { path: '/etc/group', content: GROUP },
      { path: '/etc/shadow', content: 'root:TREE-SHADOW:19000::::::\n', mode: 0o600 },
      { path: '/etc/docker/abs', type: 'symlink', target: '/etc/shadow' },
      { path: '/etc/docker/rel', type: 'symlink', target: '../../../../../../../../etc/shadow' },
      { path: '/etc/docker/to-hostname', type: 'symlink', target: '/etc/hostname' },
      { path: '/a/b', type: 'symlink', target: '../../../..' },
    ]);
    const view = await buildHostView({ root: t.root });
    assert.equal((await view.readFile('/etc/docker/abs'))?.toString(), 'root:TREE-SHADOW:19000::::::\n');
    assert.equal((await view.readFile('/etc/docker/rel'))?.toString(), 'root:TREE-SHADOW:19000::::::\n');
    assert.equal((await view.readFile('/../../../etc/shadow'))?.toString(), 'root:TREE-SHADOW:19000::::::\n');
    assert.equal((await view.readFile('/a/b/etc/shadow'))?.toString(), 'root:TREE-SHADOW:19000::::::\n');
    // /etc/hostname exists on the live host, not in the tree
    assert.ok(readFileSync('/etc/hostname').length > 0);
    assert.equal(await view.readFile('/etc/docker/to-hostname'), undefined);
    assert.equal(await view.stat('/etc/docker/to-hostname'), undefined);
    assert.equal((await view.lstat('/etc/docker/to-hostname'))?.type, 'symlink');
    assert.deepEqual(await view.readdir('/a/b/etc/docker'), ['abs', 'rel', 'to-hostname']);
    const shadow = await view.stat('/etc/docker/abs');
    assert.equal(shadow?.type, 'file');
    assert.equal(shadow?.mode, 0o600);
    assert.equal(shadow?.user, 'root');
  });

  it('survives symlink loops, FIFOs and files over the read bound', async () => {
    const t = await tree([
      { path: '/loop/a', type: 'symlink', target: 'b' },
      { path: '/loop/b', type: 'symlink', target: 'a' },
      { path: '/etc/docker/daemon.json', type: 'fifo' },
      { path: '/var/log/huge', content: '', size: 5 * 1024 * 1024 },
    ]);
    const view = await buildHostView({ root: t.root });
    assert.equal(await view.readFile('/loop/a'), undefined);
    assert.equal(await view.stat('/loop/a/x'), undefined);
    assert.equal(await view.readFile('/var/log/huge'), undefined);
    assert.equal((await view.stat('/var/log/huge'))?.size, 5 * 1024 * 1024);
    assert.equal(view.daemonJson, undefined);
    assert.equal(view.daemonJsonError, '/etc/docker/daemon.json: not a regular file');
  });

  it('a daemon.json symlinked to an absolute path is read from the tree', async () => {
    const t = await tree([
      { path: '/etc/docker/daemon.json', type: 'symlink', target: '/opt/conf/real.json' },
      { path: '/opt/conf/real.json', content: '{"icc": false, "no-new-privileges": true}' },
    ]);
    const view = await buildHostView({ root: t.root });
    assert.deepEqual(view.daemonJson, { icc: false, 'no-new-privileges': true });
    assert.equal(view.daemonJsonPath, '/etc/docker/daemon.json');
    assert.equal((await check('2.2').run(view)).verdict, 'PASS');
    assert.equal((await check('2.2').run(view)).details, 'daemon.json "icc": false');
  });
});

describe('buildHostView: daemon.json problems are kept, not thrown', () => {
  it('malformed JSON: an error naming the file; checks still run and say why', async () => {
    const t = await tree([{ path: '/etc/docker/daemon.json', content: '{"icc": false,,}' }]);
    const view = await buildHostView({ root: t.root });
    assert.equal(view.daemonJson, undefined);
    assert.match(view.daemonJsonError!, /^\/etc\/docker\/daemon.json: malformed JSON \(/);
    const r = await check('2.2').run(view);
    assert.equal(r.verdict, 'WARN');
    assert.match(r.details!, /malformed JSON/);
    assert.equal((await check('3.18').run(view)).verdict, 'PASS');
  });

  it('a daemon.json over 4 MiB is not read', async () => {
    const t = await tree([{ path: '/etc/docker/daemon.json', content: '{}', size: 4 * 1024 * 1024 + 1 }]);
    const view = await buildHostView({ root: t.root });
    assert.equal(view.daemonJsonError, '/etc/docker/daemon.json: larger than 4194304 bytes, not read');
  });

  it('JSON that is not an object, and an empty file', async () => {
    const list = await buildHostView({ root: (await tree([{ path: '/etc/docker/daemon.json', content: '[1]' }])).root });
    assert.equal(list.daemonJsonError, '/etc/docker/daemon.json: not a JSON object');
    const empty = await buildHostView({ root: (await tree([{ path: '/etc/docker/daemon.json', content: '\n' }])).root });
    assert.deepEqual(empty.daemonJson, {});
    assert.equal(empty.daemonJsonError, undefined);
  });
});

describe('buildHostView: the dockerd process from <root>/proc', () => {
  it('no /proc: no daemon, settings from daemon.json only', async () => {
    const t = await tree([{ path: '/etc/docker/daemon.json', content: '{"live-restore": true}' }]);
    const view = await buildHostView({ root: t.root });
    assert.equal(view.daemon, undefined);
    assert.equal((await check('2.15').run(view)).verdict, 'PASS');
    assert.match((await check('2.14').run(view)).details!, /no dockerd process found/);
  });

  it('finds dockerd among processes, honours --config-file, and picks by socket', async () => {
    const t = await tree([
      ...procEntries({
        1: ['/lib/systemd/systemd', '--system'],
        17: ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'],
        23: ['dockerd', '-H', 'unix:///srv/d.sock', '--config-file=/srv/d.json', '--icc=false'],
        40: ['/usr/bin/containerd'],
      }),
      { path: '/etc/docker/daemon.json', content: '{"userland-proxy": false}' },
      { path: '/srv/d.json', content: '{"no-new-privileges": true}' },
    ]);
    const main = await buildHostView({ root: t.root });
    assert.equal(main.daemon?.pid, 17);
    assert.equal(main.daemonJsonPath, '/etc/docker/daemon.json');
    assert.equal((await check('2.16').run(main)).verdict, 'PASS');
    assert.equal((await check('2.2').run(main)).verdict, 'WARN');

    const other = await buildHostView({ root: t.root, daemonSocket: 'unix:///srv/d.sock' });
    assert.equal(other.daemon?.pid, 23);
    assert.equal(other.daemonJsonPath, '/srv/d.json');
    assert.equal((await check('2.2').run(other)).verdict, 'PASS');
    assert.equal((await check('2.14').run(other)).verdict, 'PASS');
    assert.equal((await check('2.16').run(other)).verdict, 'WARN');
  });
});

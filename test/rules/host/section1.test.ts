import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadEolDir, SHIPPED_EOL_DIR } from '../../../src/modules/eol/index.js';
import { CHECKS, parseAuditRules, versionCheck } from '../../../src/modules/rules/host/section1/index.js';
import type { CheckResult, HostCheck, HostView } from '../../../src/host/types.js';
import { engineFacts, GROUP, hostTree, PASSWD, type HostTree } from '../../support/host-tree.js';

const byId = new Map(CHECKS.map((c) => [c.meta.id, c]));
async function run(id: string, view: HostView): Promise<CheckResult> {
  const check = byId.get(id);
  assert.ok(check, `no check ${id}`);
  return check.run(view);
}

const trees: HostTree[] = [];
function tree(...args: Parameters<typeof hostTree>): HostTree {
  const t = hostTree(...args);
  trees.push(t);
  return t;
}
after(async () => {
  for (const t of trees) await t.cleanup();
});

describe('section 1 checks', () => {
  it('has every CIS 1.x check in benchmark order, with the benchmark titles', () => {
    assert.deepEqual(
      CHECKS.map((c) => c.meta.id),
      ['1.1', '1.1.1', '1.1.2', ...Array.from({ length: 16 }, (_, i) => `1.1.${i + 3}`), '1.2', '1.2.1', '1.2.2'],
    );
    assert.equal(byId.get('1.1.12')!.meta.title, 'Ensure auditing is configured for Dockerfiles and directories - /etc/containerd/config.toml (Automated)');
    assert.equal(byId.get('1.1.4')!.meta.title, 'Ensure auditing is configured for Docker files and directories -/run/containerd (Automated)');
    for (const c of CHECKS) {
      assert.ok(c.meta.rationale.length > 20 && c.meta.remediation.length > 10, c.meta.id);
      assert.ok(c.meta.references.every((r) => r.startsWith('https://')), c.meta.id);
      assert.equal(c.meta.assessment, /\(Manual\)$/.test(c.meta.title) || !/\((Automated|Manual)\)$/.test(c.meta.title) ? 'Manual' : 'Automated', c.meta.id);
    }
    assert.equal(byId.get('1.2.2')!.meta.needsEngine, true);
  });
});

describe('audit rules (1.1.3-1.1.18)', () => {
  const files = {
    'usr/bin/dockerd': 'bin',
    'usr/sbin/runc': 'bin',
    'usr/bin/containerd': 'bin',
    'run/containerd': { dir: true as const },
    'etc/docker/daemon.json': '{}',
    'lib/systemd/system/docker.service': '[Unit]\n',
  };

  it('parses -w and -F path=/dir= forms, comments and -W removals', () => {
    const rules = parseAuditRules(
      '# -w /usr/bin/runc -k docker\n-w /usr/bin/dockerd -p rwxa -k docker\n-a exit,always -F path=/run/containerd -F perm=war -k docker\n-a always,exit -F dir=/etc/docker/ -F key=docker\n-w /tmp/x\n-W /tmp/x\n',
      'audit.rules',
    );
    assert.deepEqual(rules, [
      { path: '/usr/bin/dockerd', kind: 'watch', perms: 'rwxa', key: 'docker', at: 'audit.rules:2' },
      { path: '/run/containerd', kind: 'path', perms: 'war', key: 'docker', at: 'audit.rules:3' },
      { path: '/etc/docker', kind: 'dir', key: 'docker', at: 'audit.rules:4' },
    ]);
  });

  it('rules present: PASS; rule commented out or absent: WARN; file absent: INFO', async () => {
    const t = tree({
      ...files,
      'etc/audit/audit.rules': '-w /usr/bin/dockerd -k docker\n# -w /usr/sbin/runc -k docker\n',
      'etc/audit/rules.d/docker.rules': '-a exit,always -F path=/run/containerd -F perm=war -k docker\n-w /etc/docker -p wa -k docker\n-w /lib/systemd/system/docker.service -k docker\n',
      'etc/audit/rules.d/ignored.conf': '-w /usr/bin/containerd -k docker\n',
    });
    const view = await t.view();
    const got = async (id: string) => run(id, view);
    assert.deepEqual(await got('1.1.3'), { id: '1.1.3', verdict: 'PASS', details: '/usr/bin/dockerd is audited (-w /usr/bin/dockerd -k docker, /etc/audit/audit.rules:1)' });
    assert.deepEqual(await got('1.1.4'), {
      id: '1.1.4',
      verdict: 'PASS',
      details: '/run/containerd is audited (-F path=/run/containerd -k docker, /etc/audit/rules.d/docker.rules:1)',
    });
    assert.equal((await got('1.1.6')).verdict, 'PASS');
    // A watch on the /etc/docker directory covers daemon.json below it.
    assert.deepEqual(await got('1.1.11'), {
      id: '1.1.11',
      verdict: 'PASS',
      details: '/etc/docker/daemon.json is audited (-w /etc/docker -k docker, /etc/audit/rules.d/docker.rules:2)',
    });
    assert.equal((await got('1.1.7')).verdict, 'PASS');
    assert.deepEqual(await got('1.1.18'), {
      id: '1.1.18',
      verdict: 'WARN',
      details: '/usr/sbin/runc not audited: no rule in /etc/audit/audit.rules, /etc/audit/rules.d/docker.rules',
      items: ['/usr/sbin/runc'],
    });
    // rules.d files not named *.rules are not read by augenrules.
    assert.equal((await got('1.1.14')).verdict, 'WARN');
    assert.deepEqual(await got('1.1.13'), { id: '1.1.13', verdict: 'INFO', details: 'File not found: /etc/sysconfig/docker' });
    assert.deepEqual(await got('1.1.5'), { id: '1.1.5', verdict: 'INFO', details: 'Directory not found: /var/lib/docker' });
    assert.equal((await got('1.1.9')).verdict, 'INFO');
  });

  it('no audit rules at all: WARN for every file that exists', async () => {
    const view = await tree(files).view();
    const r = await run('1.1.3', view);
    assert.deepEqual(r, {
      id: '1.1.3',
      verdict: 'WARN',
      details: '/usr/bin/dockerd not audited: no audit rules found (/etc/audit/audit.rules, /etc/audit/rules.d/*.rules)',
      items: ['/usr/bin/dockerd'],
    });
    assert.equal((await run('1.1.4', view)).verdict, 'WARN');
    assert.equal((await run('1.1.15', view)).verdict, 'INFO');
  });

  it('a watch of a file does not cover its siblings, and -F path= does not recurse', async () => {
    const view = await tree({ ...files, 'etc/audit/audit.rules': '-w /etc/docker/key.json -k docker\n-a always,exit -F path=/etc/docker -k docker\n' }).view();
    assert.equal((await run('1.1.11', view)).verdict, 'WARN');
    assert.equal((await run('1.1.6', view)).verdict, 'PASS');
  });
});

describe('1.1.1 separate partition', () => {
  const engine = engineFacts({ info: { DockerRootDir: '/var/lib/docker', SecurityOptions: ['name=seccomp,profile=default'] } });
  const root = '/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n';

  it('PASS when the Docker root is its own mount', async () => {
    const view = await tree({ 'proc/mounts': `${root}/dev/sdb1 /var/lib/docker xfs rw 0 0\n` }).view(engine);
    assert.deepEqual(await run('1.1.1', view), {
      id: '1.1.1',
      verdict: 'PASS',
      details: '/var/lib/docker (docker info DockerRootDir) is mounted from /dev/sdb1 (xfs), per /proc/mounts',
    });
  });

  it('WARN when it is not a mount point, or a bind mount of the root device', async () => {
    const plain = await tree({ 'proc/mounts': root }).view(engine);
    assert.deepEqual(await run('1.1.1', plain), {
      id: '1.1.1',
      verdict: 'WARN',
      details: '/var/lib/docker (docker info DockerRootDir) is not a mount point in /proc/mounts',
      items: ['/var/lib/docker'],
    });
    const bind = await tree({ 'proc/mounts': `${root}/dev/sda1 /var/lib/docker ext4 rw 0 0\n` }).view(engine);
    assert.equal((await run('1.1.1', bind)).verdict, 'WARN');
  });

  it('reads /etc/fstab when there is no /proc, and the data-root when there is no engine', async () => {
    const view = await tree({ 'etc/fstab': '# <fs> <mount>\nUUID=abc / ext4 defaults 0 1\nUUID=def /srv/docker ext4 defaults 0 2\n', 'etc/docker/daemon.json': '{"data-root": "/srv/docker"}' }).view();
    assert.deepEqual(await run('1.1.1', view), { id: '1.1.1', verdict: 'PASS', details: '/srv/docker (dockerd data-root) is mounted from UUID=def (ext4), per /etc/fstab' });
  });

  it('with user namespaces the parent of the remapped root is checked', async () => {
    const userns = engineFacts({ info: { DockerRootDir: '/var/lib/docker/100000.100000', SecurityOptions: ['name=userns'] } });
    const view = await tree({ 'proc/mounts': `${root}/dev/sdb1 /var/lib/docker xfs rw 0 0\n` }).view(userns);
    assert.equal((await run('1.1.1', view)).verdict, 'PASS');
  });
});

describe('1.1.2 trusted users', () => {
  it('INFO listing the docker group (members and primary-group accounts) and the socket', async () => {
    const t = tree({ 'etc/passwd': PASSWD, 'etc/group': GROUP });
    await t.socket('/var/run/docker.sock', 0, 999, 0o660);
    assert.deepEqual(await run('1.1.2', await t.view()), {
      id: '1.1.2',
      verdict: 'INFO',
      details: 'docker group (gid 999): alice, bob, carol; /var/run/docker.sock root:docker 0660',
      items: ['user alice (docker group)', 'user bob (docker group)', 'user carol (docker group)', 'socket /var/run/docker.sock root:docker 0660'],
    });
  });

  it('WARN when every user can write to the socket; the socket named by -H is the one looked at', async () => {
    const t = tree({ 'etc/passwd': PASSWD, 'etc/group': 'root:x:0:\n', 'proc/77/cmdline': '/usr/bin/dockerd\0-H\0unix:///run/custom.sock\0' });
    await t.socket('/run/custom.sock', 0, 0, 0o666);
    assert.deepEqual(await run('1.1.2', await t.view()), {
      id: '1.1.2',
      verdict: 'WARN',
      details: 'no docker group; /run/custom.sock root:root 0666',
      items: ['socket /run/custom.sock root:root 0666 (writable by every user)', 'user root (group root of /run/custom.sock)'],
    });
  });
});

describe('1.2.2 Docker version', () => {
  const data = loadEolDir(SHIPPED_EOL_DIR);
  const at = (day: string): HostCheck => versionCheck({ now: () => new Date(`${day}T12:00:00Z`), data });
  const view = async (engine: string, containerd?: string): Promise<HostView> =>
    tree().view(engineFacts({ version: { Version: engine, Components: [{ Name: 'Engine', Version: engine }, ...(containerd ? [{ Name: 'containerd', Version: containerd }] : [])] } }));

  it('WARN past the end of upstream support, naming both components and the distribution build', async () => {
    const r = await at('2026-11-28').run(await view('20.10.24+dfsg1', '1.6.20~ds1'));
    assert.equal(r.verdict, 'WARN');
    assert.deepEqual(r.items, ['Docker Engine 20.10.24+dfsg1', 'containerd 1.6.20~ds1']);
    assert.match(r.details!, /^Docker Engine 20\.10\.24\+dfsg1: upstream support of 20\.10 ended 2023-12-10; a distribution build/);
    assert.match(r.details!, /containerd 1\.6\.20~ds1: upstream support of 1\.6 ended 2025-08-23/);
  });

  it('PASS on supported branches, INFO near the end or when a version is not in the data', async () => {
    assert.equal((await at('2026-11-28').run(await view('29.1.2', 'v2.3.1'))).verdict, 'PASS');
    const near = await at('2026-04-01').run(await view('28.5.2', '2.3.0'));
    assert.deepEqual([near.verdict, near.items], ['INFO', ['Docker Engine 28.5.2']]);
    assert.match(near.details!, /upstream support of 28 ends 2026-05-13/);
    const unknown = await at('2026-11-28').run(await view('99.0.0', '2.3.0'));
    assert.deepEqual([unknown.verdict, unknown.items], ['INFO', ['Docker Engine 99.0.0']]);
  });
});

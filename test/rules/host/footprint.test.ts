import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CHECKS, decodeAddress } from '../../../src/modules/rules/host/footprint/index.js';
import type { CheckResult, HostView } from '../../../src/host/types.js';
import { DEBIAN_OS_RELEASE, dpkgStatus, hostTree, NET_HEADER, netRow, proc, UNIX_HEADER, unixRow, type HostTree, type TreeEntry } from '../../support/host-tree.js';

const byId = new Map(CHECKS.map((c) => [c.meta.id, c]));
async function run(id: string, view: HostView): Promise<CheckResult> {
  return byId.get(id)!.run(view);
}
const trees: HostTree[] = [];
async function viewOf(entries: Record<string, TreeEntry>): Promise<HostView> {
  const t = hostTree(entries);
  trees.push(t);
  return t.view();
}
after(async () => {
  for (const t of trees) await t.cleanup();
});

const ZERO4 = '00000000:0000';
const ZERO6 = `${'0'.repeat(32)}:0000`;

describe('footprint checks', () => {
  it('F.1 to F.8 in order, with metadata', () => {
    assert.deepEqual(CHECKS.map((c) => c.meta.id), ['F.1', 'F.2', 'F.3', 'F.4', 'F.5', 'F.6', 'F.7', 'F.8']);
    for (const c of CHECKS) assert.ok(c.meta.rationale.length > 20 && c.meta.references.length > 0 && !c.meta.needsEngine, c.meta.id);
  });

  it('decodes /proc/net addresses (little-endian words)', () => {
    assert.equal(decodeAddress('0100007F', true), '127.0.0.1');
    assert.equal(decodeAddress('00000000', true), '0.0.0.0');
    assert.equal(decodeAddress('00000000000000000000000001000000', true), '::1');
    assert.equal(decodeAddress('0000000000000000FFFF00000100007F', true), '::ffff:127.0.0.1');
    assert.equal(decodeAddress('B80D0120000000000000000001000000', true), '2001:db8::1');
  });
});

describe('listening sockets (F.1, F.2)', () => {
  const net = {
    'proc/net/tcp':
      NET_HEADER +
      netRow(0, '00000000:0016', ZERO4, '0A', 1001) +
      netRow(1, '0100007F:1538', ZERO4, '0A', 1002) +
      netRow(2, '00000000:1F90', ZERO4, '0A', 1003) +
      netRow(3, '0100007F:1538', '0100007F:C350', '01', 1004),
    'proc/net/tcp6': NET_HEADER + netRow(0, `${'0'.repeat(32)}:0050`, ZERO6, '0A', 1005),
    'proc/net/udp': NET_HEADER + netRow(0, '00000000:0044', ZERO4, '07', 1006),
    'proc/net/udp6': NET_HEADER,
    'proc/net/unix': UNIX_HEADER + unixRow(1007, '/run/docker.sock') + unixRow(1008, '/run/other.sock', false),
    ...proc(123, 'sshd', [1001]),
    ...proc(200, 'postgres', [1002, 1004]),
    ...proc(300, 'docker-proxy', [1003]),
    ...proc(400, 'nginx', [1005]),
    ...proc(401, 'nginx', [1005]),
    ...proc(500, 'dockerd', [1007]),
  };

  it('F.1 lists every listener with its process', async () => {
    const r = await run('F.1', await viewOf(net));
    assert.deepEqual(r, {
      id: 'F.1',
      verdict: 'INFO',
      details: '5 TCP/UDP listening socket(s), 1 listening unix socket(s) (/proc/net/tcp, /proc/net/tcp6, /proc/net/udp, /proc/net/udp6, /proc/net/unix)',
      items: [
        'tcp 0.0.0.0:22 sshd (pid 123)',
        'tcp [::]:80 nginx (pid 400, 401)',
        'tcp 127.0.0.1:5432 postgres (pid 200)',
        'tcp 0.0.0.0:8080 docker-proxy (pid 300)',
        'udp 0.0.0.0:68 no process found',
        'unix /run/docker.sock dockerd (pid 500)',
      ],
    });
  });

  it('F.2 warns about wildcard listeners, not loopback ones nor docker-proxy ports', async () => {
    assert.deepEqual(await run('F.2', await viewOf(net)), {
      id: 'F.2',
      verdict: 'WARN',
      details: '3 socket(s) listen on all interfaces; 1 container port(s) published through docker-proxy not counted',
      items: ['tcp 0.0.0.0:22 sshd (pid 123)', 'tcp [::]:80 nginx (pid 400, 401)', 'udp 0.0.0.0:68 no process found'],
    });
    const local = await viewOf({ 'proc/net/tcp': NET_HEADER + netRow(0, '0100007F:0016', ZERO4, '0A', 9), ...proc(9, 'sshd', [9]) });
    assert.deepEqual(await run('F.2', local), { id: 'F.2', verdict: 'PASS', details: 'no service listens on all interfaces' });
  });

  it('no /proc under the root: INFO', async () => {
    assert.equal((await run('F.1', await viewOf({}))).verdict, 'INFO');
    assert.equal((await run('F.2', await viewOf({}))).details, '/proc/net cannot be read under the root: no socket table');
  });
});

describe('packages and OS (F.3, F.8)', () => {
  const base = { 'usr/lib/os-release': DEBIAN_OS_RELEASE, 'etc/os-release': { symlink: '../usr/lib/os-release' } };

  it('F.3 names compilers and legacy services; F.8 names the distribution and its package count', async () => {
    const view = await viewOf({
      ...base,
      'var/lib/dpkg/status': dpkgStatus([['bash', '5.2.15-2'], ['gcc-12', '12.2.0-14'], ['telnetd', '0.17+2.4-2'], ['openssh-server', '1:9.2p1-2'], ['nis', '4.4']]),
    });
    assert.deepEqual(await run('F.3', view), {
      id: 'F.3',
      verdict: 'WARN',
      details: '3 package(s) a container host does not need',
      items: ['gcc-12 12.2.0-14 (compiler)', 'nis 4.4 (NIS (cleartext account maps))', 'telnetd 0.17+2.4-2 (telnet server (cleartext logins))'],
    });
    assert.deepEqual(await run('F.8', view), {
      id: 'F.8',
      verdict: 'INFO',
      details: 'Debian GNU/Linux 12 (bookworm): a general-purpose distribution (5 packages)',
      items: ['Debian GNU/Linux 12 (bookworm)'],
    });
  });

  it('F.3 PASS without such packages, INFO without a package database', async () => {
    const clean = await viewOf({ ...base, 'var/lib/dpkg/status': dpkgStatus([['bash', '5.2.15-2'], ['docker.io', '20.10.24+dfsg1-1']]) });
    assert.deepEqual(await run('F.3', clean), {
      id: 'F.3',
      verdict: 'PASS',
      details: 'none of 2 packages is a compiler or a legacy network service (/var/lib/dpkg/status)',
    });
    assert.deepEqual(await run('F.3', await viewOf(base)), { id: 'F.3', verdict: 'INFO', details: 'no dpkg, rpm or apk package database under the root' });
  });

  it('F.8 PASS on container-optimized systems', async () => {
    const flatcar = await viewOf({ 'etc/os-release': 'ID=flatcar\nPRETTY_NAME="Flatcar Container Linux by Kinvolk 3815.2.0"\n' });
    assert.deepEqual(await run('F.8', flatcar), { id: 'F.8', verdict: 'PASS', details: 'Flatcar Container Linux by Kinvolk 3815.2.0: a container-optimized OS' });
    const coreos = await viewOf({ 'etc/os-release': 'ID=fedora\nVARIANT_ID=coreos\nPRETTY_NAME="Fedora CoreOS 40"\n' });
    assert.equal((await run('F.8', coreos)).verdict, 'PASS');
    const fedora = await viewOf({ 'etc/os-release': 'ID=fedora\nVARIANT_ID=server\nPRETTY_NAME="Fedora Linux 40 (Server Edition)"\n' });
    assert.deepEqual(await run('F.8', fedora), {
      id: 'F.8',
      verdict: 'INFO',
      details: 'Fedora Linux 40 (Server Edition): a general-purpose distribution (no package database found)',
      items: ['Fedora Linux 40 (Server Edition)'],
    });
  });
});

describe('SSH daemon (F.4)', () => {
  it('WARN: the first value wins, and an included drop-in comes first', async () => {
    const view = await viewOf({
      'etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nPermitRootLogin yes\nKbdInteractiveAuthentication no\n',
      'etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n',
      'etc/ssh/sshd_config.d/README': 'PermitEmptyPasswords yes\n',
    });
    assert.deepEqual(await run('F.4', view), {
      id: 'F.4',
      verdict: 'WARN',
      details: 'sshd allows: PasswordAuthentication yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1); PermitRootLogin yes (/etc/ssh/sshd_config:3)',
      items: ['PasswordAuthentication yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1)', 'PermitRootLogin yes (/etc/ssh/sshd_config:3)'],
    });
  });

  it('OpenSSH defaults count: no PasswordAuthentication line means yes', async () => {
    const view = await viewOf({ 'etc/ssh/sshd_config': 'Port 22\nKbdInteractiveAuthentication no\n' });
    assert.deepEqual((await run('F.4', view)).items, ['PasswordAuthentication yes (OpenSSH default)']);
  });

  it('PASS when passwords and root passwords are off; Match blocks are not global', async () => {
    const view = await viewOf({
      'etc/ssh/sshd_config': 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\nPermitRootLogin prohibit-password\nMatch User deploy\n  PasswordAuthentication yes\n',
    });
    assert.deepEqual(await run('F.4', view), { id: 'F.4', verdict: 'PASS', details: 'password and root password logins are off (/etc/ssh/sshd_config)' });
    assert.equal((await run('F.4', await viewOf({}))).verdict, 'PASS');
  });
});

describe('accounts and sudo (F.5-F.7)', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nguest:x:1001:1001::/home/guest:/bin/sh\nold::1002:1002::/home/old:/bin/sh\n';
  const shadow = 'root:$y$j9T$abc:19000:0:99999:7:::\ntoor:!:19000::::::\nguest::19000:0:99999:7:::\n';

  it('F.5 other UID 0 accounts, F.6 empty passwords: WARN with the accounts', async () => {
    const view = await viewOf({ 'etc/passwd': passwd, 'etc/shadow': shadow });
    assert.deepEqual(await run('F.5', view), { id: 'F.5', verdict: 'WARN', details: '1 account(s) besides root have UID 0', items: ['toor (uid 0, /etc/passwd:2)'] });
    assert.deepEqual(await run('F.6', view), {
      id: 'F.6',
      verdict: 'WARN',
      details: '2 account(s) with an empty password',
      items: ['old (/etc/passwd:4)', 'guest (/etc/shadow:3)'],
    });
  });

  it('F.5 and F.6 PASS on clean files', async () => {
    const view = await viewOf({ 'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', 'etc/shadow': 'root:*:19000:0:99999:7:::\n' });
    assert.equal((await run('F.5', view)).verdict, 'PASS');
    assert.equal((await run('F.6', view)).verdict, 'PASS');
  });

  it('F.7 finds NOPASSWD in included files, skipping names sudo skips', async () => {
    const view = await viewOf({
      'etc/sudoers': 'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n# alice ALL=(ALL) NOPASSWD: ALL\n@includedir /etc/sudoers.d\n',
      'etc/sudoers.d/90-cloud-init-users': '# created by cloud-init\nubuntu ALL=(ALL) \\\n  NOPASSWD:ALL\n',
      'etc/sudoers.d/README.txt': 'bob ALL=(ALL) NOPASSWD: ALL\n',
      'etc/sudoers.d/old~': 'carol ALL=(ALL) NOPASSWD: ALL\n',
    });
    assert.deepEqual(await run('F.7', view), {
      id: 'F.7',
      verdict: 'WARN',
      details: '1 passwordless sudo rule(s)',
      items: ['/etc/sudoers.d/90-cloud-init-users:2: ubuntu ALL=(ALL) NOPASSWD:ALL'],
    });
    const clean = await viewOf({ 'etc/sudoers': 'root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n' });
    assert.deepEqual(await run('F.7', clean), { id: 'F.7', verdict: 'PASS', details: 'no NOPASSWD rule (/etc/sudoers)' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkImage, imageRules } from '../../../src/modules/rules/image/index.js';
import { DEBIAN_12, NOW, OPTIONS, cleanImage, deb, fakeInput, type FakeFile } from './fake-image.js';

type Image = ReturnType<typeof cleanImage>;

interface Case {
  id: string;
  name: string;
  change(img: Image): void;
  /** Findings of `id` expected: a message pattern each (failing case), or none (passing case). */
  expect: RegExp[];
  options?: Partial<typeof OPTIONS>;
  /** Other rules the change is bound to trip too. */
  also?: string[];
}

const add = (...files: FakeFile[]) => (img: Image) => void img.files.push(...files);
const replaceFile = (path: string, content: string) => (img: Image) => {
  img.files = img.files.map((f) => (f.path === path ? { ...f, content } : f));
};
const bin = (path: string, size = 1000, layer = 1): FakeFile => ({ path, mode: 0o755, size, layer });

const CASES: Case[] = [
  // BW-IMG-001 runs as root
  { id: 'BW-IMG-001', name: 'no USER', change: (i) => void delete i.runConfig.User, expect: [/No USER is set/] },
  { id: 'BW-IMG-001', name: 'USER root', change: (i) => void (i.runConfig.User = 'root'), expect: [/USER root is root/] },
  { id: 'BW-IMG-001', name: 'USER 0:0', change: (i) => void (i.runConfig.User = '0:0'), expect: [/USER 0:0 is UID 0/] },
  { id: 'BW-IMG-001', name: 'USER root:root', change: (i) => void (i.runConfig.User = 'root:root'), expect: [/is root/] },
  {
    id: 'BW-IMG-001', name: 'USER naming a UID 0 account',
    change: (i) => { i.runConfig.User = 'toor'; replaceFile('/etc/passwd', 'root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n')(i); },
    expect: [/toor names an account whose UID is 0/],
    also: ['BW-IMG-017'],
  },
  { id: 'BW-IMG-001', name: 'numeric non-root USER passes', change: (i) => void (i.runConfig.User = '10001:10001'), expect: [] },
  { id: 'BW-IMG-001', name: 'named non-root USER passes', change: (i) => void (i.runConfig.User = 'app'), expect: [] },

  // BW-IMG-002 remote access
  {
    id: 'BW-IMG-002', name: 'openssh-server package',
    change: (i) => { add(bin('/usr/sbin/sshd', 1_500_000), { path: '/usr/share/doc/openssh-server/README', size: 500, layer: 1 })(i); i.packages.push(deb('openssh-server', ['/usr/sbin/sshd', '/usr/share/doc/openssh-server/README'])); },
    expect: [/package openssh-server 1\.0-1 \(remote-access: \/usr\/sbin\/sshd; 1\.50 MB\)/],
  },
  { id: 'BW-IMG-002', name: 'an sshd binary no package owns', change: add(bin('/usr/local/sbin/sshd', 900_000)), expect: [/sshd \(remote-access: \/usr\/local\/sbin\/sshd; 900 kB\)/] },
  { id: 'BW-IMG-002', name: 'dropbear by executable', change: add(bin('/usr/sbin/dropbear', 200_000)), expect: [/dropbear/] },
  { id: 'BW-IMG-002', name: 'an ssh client only passes', change: add(bin('/usr/bin/sshpass')), expect: [] },

  // BW-IMG-003 sudo
  {
    id: 'BW-IMG-003', name: 'sudo package',
    change: (i) => { add({ ...bin('/usr/bin/sudo', 250_000), mode: 0o4755 })(i); i.packages.push(deb('sudo', ['/usr/bin/sudo'])); },
    expect: [/package sudo/],
    also: ['BW-IMG-005'],
  },
  { id: 'BW-IMG-003', name: 'a doas binary', change: add(bin('/usr/bin/doas')), expect: [/doas/] },
  { id: 'BW-IMG-003', name: 'no sudo passes', change: add(bin('/usr/bin/sudoku')), expect: [] },

  // BW-IMG-004 removable tools, one finding each
  {
    id: 'BW-IMG-004', name: 'shell, package manager, compiler, debugger and network tools',
    change: add(bin('/bin/sh', 120_000), bin('/usr/bin/apt-get', 2_000), bin('/usr/bin/gcc-12', 1_200_000), bin('/usr/bin/gdb', 9_000_000), bin('/usr/bin/curl', 300_000), bin('/usr/bin/nc', 40_000)),
    expect: [/apt-get \(package-manager/, /curl \(network-tool/, /gcc-12 \(compiler.*1\.20 MB/, /gdb \(debugger.*9\.00 MB/, /nc \(network-tool/, /sh \(shell.*120 kB/],
  },
  { id: 'BW-IMG-004', name: 'a non-executable file named bash passes', change: add({ path: '/usr/bin/bash', mode: 0o644, size: 10 }), expect: [] },
  { id: 'BW-IMG-004', name: 'tools outside the bin directories pass', change: add(bin('/opt/tools/curl')), expect: [] },

  // BW-IMG-005 setuid / setgid
  { id: 'BW-IMG-005', name: 'setuid file', change: add({ path: '/app/helper', mode: 0o4755, size: 10 }), expect: [/\/app\/helper is setuid \(runs as UID 0\), mode 4755/] },
  { id: 'BW-IMG-005', name: 'setgid file', change: add({ path: '/usr/bin/wall', mode: 0o2755, gid: 5, size: 10 }), expect: [/setgid \(runs as GID 5\)/] },
  { id: 'BW-IMG-005', name: 'a setgid directory passes', change: add({ path: '/srv/shared', type: 'dir', mode: 0o2775 }), expect: [] },

  // BW-IMG-006 world-writable
  {
    id: 'BW-IMG-006', name: 'a 777 directory with writable files inside: one finding',
    change: add({ path: '/app/data', type: 'dir', mode: 0o777 }, { path: '/app/data/a', mode: 0o666, size: 1 }, { path: '/app/data/b', mode: 0o666, size: 1 }),
    expect: [/\/app\/data is a world-writable directory \(mode 0777\), with 2 more world-writable entries inside/],
  },
  { id: 'BW-IMG-006', name: 'a 666 file', change: add({ path: '/app/config.yml', mode: 0o666, size: 1 }), expect: [/\/app\/config\.yml is a world-writable file/] },
  { id: 'BW-IMG-006', name: '/tmp without the sticky bit', change: (i) => { i.files = i.files.map((f) => (f.path === '/tmp' ? { ...f, mode: 0o777 } : f)); }, expect: [/\/tmp is a world-writable directory without the sticky bit/] },
  {
    id: 'BW-IMG-006', name: 'sticky /tmp, /var/tmp, /dev/shm, /run/lock and their contents pass',
    change: add({ path: '/var/tmp', type: 'dir', mode: 0o1777 }, { path: '/dev/shm', type: 'dir', mode: 0o1777 }, { path: '/run/lock', type: 'dir', mode: 0o1777 }, { path: '/tmp/x', mode: 0o666, size: 1 }, { path: '/usr/bin/link', type: 'symlink', linkTarget: '/app/server' }),
    expect: [],
  },

  // BW-IMG-007 credential files
  { id: 'BW-IMG-007', name: 'an SSH private key', change: add({ path: '/root/.ssh/id_rsa', content: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n' }), expect: [/\/root\/\.ssh\/id_rsa: private key \(RSA PRIVATE KEY\)/] },
  { id: 'BW-IMG-007', name: 'a private key in a .pem', change: add({ path: '/app/tls/server.pem', content: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' }), expect: [/server\.pem: private key/] },
  { id: 'BW-IMG-007', name: 'a certificate .pem passes', change: add({ path: '/app/tls/ca.pem', content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }), expect: [] },
  { id: 'BW-IMG-007', name: 'AWS credentials', change: add({ path: '/home/app/.aws/credentials', content: '[default]\naws_access_key_id = AKIA0000\naws_secret_access_key = abc/def\n' }), expect: [/AWS credentials file with a secret access key/] },
  { id: 'BW-IMG-007', name: 'AWS config without secrets passes', change: add({ path: '/home/app/.aws/credentials', content: '[default]\nregion = eu-west-1\n' }), expect: [] },
  { id: 'BW-IMG-007', name: 'gcloud credentials', change: add({ path: '/root/.config/gcloud/application_default_credentials.json', content: '{"type":"authorized_user"}' }), expect: [/Google Cloud SDK credentials/] },
  {
    id: 'BW-IMG-007', name: '.env with values (names only in the message)',
    change: add({ path: '/app/.env', content: 'DB_PASSWORD=s3cr3t-value\nEMPTY=\n' }),
    expect: [/^\/app\/\.env: environment file setting DB_PASSWORD$/],
  },
  { id: 'BW-IMG-007', name: '.env.example passes', change: add({ path: '/app/.env.example', content: 'DB_PASSWORD=changeme\n' }), expect: [] },
  { id: 'BW-IMG-007', name: '.npmrc with an _authToken', change: replaceFile('/app/.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n'), expect: [/^\/app\/\.npmrc: npm configuration that contains an auth token$/] },
  { id: 'BW-IMG-007', name: '.npmrc with _auth', change: replaceFile('/app/.npmrc', '_auth=dXNlcjpwYXNz\n'), expect: [/auth token/] },
  { id: 'BW-IMG-007', name: '.npmrc with an empty token passes', change: replaceFile('/app/.npmrc', '//registry.npmjs.org/:_authToken=\n'), expect: [] },
  { id: 'BW-IMG-007', name: '.pypirc with a password', change: add({ path: '/root/.pypirc', content: '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n' }), expect: [/\.pypirc: PyPI configuration that contains a password/] },
  { id: 'BW-IMG-007', name: '.pypirc without a password passes', change: add({ path: '/root/.pypirc', content: '[pypi]\nusername = someone\n' }), expect: [] },

  // BW-IMG-008 .git and histories
  { id: 'BW-IMG-008', name: 'a .git directory', change: add({ path: '/app/.git', type: 'dir' }, { path: '/app/.git/HEAD', content: 'ref: x\n' }), expect: [/\/app\/\.git is a git repository directory/] },
  { id: 'BW-IMG-008', name: 'a shell history', change: add({ path: '/root/.bash_history', size: 120 }), expect: [/\/root\/\.bash_history is a command history \(120 bytes\)/] },
  { id: 'BW-IMG-008', name: 'an empty history and a .gitignore pass', change: add({ path: '/root/.bash_history', size: 0 }, { path: '/app/.gitignore', size: 5 }), expect: [] },

  // BW-IMG-009 caches
  {
    id: 'BW-IMG-009', name: 'apt lists and .debs, apk, pip and npm caches',
    change: add(
      { path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', size: 9_000_000 },
      { path: '/var/lib/apt/lists/lock', size: 0 },
      { path: '/var/cache/apt/archives/curl_7.88_amd64.deb', size: 300_000 },
      { path: '/var/cache/apk/APKINDEX.abc.tar.gz', size: 500_000 },
      { path: '/root/.cache/pip/http/a/b', size: 2_000 },
      { path: '/home/app/.npm/_cacache/index-v5/x', size: 3_000 },
      { path: '/var/cache/dnf/repo.solv', size: 10 },
    ),
    expect: [/apk package cache left in \/var\/cache\/apk: 1 file, 500 kB/, /apt package cache left in \/var\/cache\/apt: 1 file, 300 kB/, /apt package lists left in \/var\/lib\/apt\/lists: 1 file, 9\.00 MB/, /dnf cache/, /npm cache left in \/home\/app\/\.npm\/_cacache/, /pip cache left in \/root\/\.cache\/pip: 1 file, 2\.00 kB/],
  },
  { id: 'BW-IMG-009', name: 'empty apt lists (lock and partial/) pass', change: add({ path: '/var/lib/apt/lists', type: 'dir' }, { path: '/var/lib/apt/lists/lock', size: 0 }, { path: '/var/lib/apt/lists/partial', type: 'dir' }), expect: [] },

  // BW-IMG-010 HEALTHCHECK
  { id: 'BW-IMG-010', name: 'no HEALTHCHECK', change: (i) => void delete i.runConfig.Healthcheck, expect: [/defines no HEALTHCHECK/] },
  { id: 'BW-IMG-010', name: 'HEALTHCHECK NONE', change: (i) => void (i.runConfig.Healthcheck = { Test: ['NONE'] }), expect: [/HEALTHCHECK NONE disables/] },
  { id: 'BW-IMG-010', name: 'HEALTHCHECK CMD-SHELL passes', change: (i) => void (i.runConfig.Healthcheck = { Test: ['CMD-SHELL', 'true'] }), expect: [] },

  // BW-IMG-011 ADD
  { id: 'BW-IMG-011', name: 'ADD of a URL (BuildKit history)', change: (i) => void i.config.history!.push({ created_by: 'ADD https://example.com/app.tgz /opt/ # buildkit' }), expect: [/ADD downloads https:\/\/example\.com\/app\.tgz into \/opt\/ without --checksum/] },
  { id: 'BW-IMG-011', name: 'ADD of a local archive (BuildKit)', change: (i) => void i.config.history!.push({ created_by: 'ADD --chown=1:1 app.tar.gz /opt/app/ # buildkit' }), expect: [/implicitly extracts the local archive app\.tar\.gz/] },
  { id: 'BW-IMG-011', name: 'ADD of local files (legacy builder)', change: (i) => void i.config.history!.push({ created_by: '/bin/sh -c #(nop) ADD file:8f2a1c in /opt/payload/ ' }), expect: [/ADD copied local content into \/opt\/payload\//] },
  { id: 'BW-IMG-011', name: 'ADD of a URL with a password: the password is masked', change: (i) => void i.config.history!.push({ created_by: 'ADD https://deploy:s3cr3t-Pa55@example.com/app.tgz /opt/ # buildkit' }), expect: [/ADD downloads https:\/\/deploy:\*{8}@example\.com\/app\.tgz into/] },
  { id: 'BW-IMG-011', name: 'ADD --checksum of a URL, COPY, and a base rootfs ADD pass', change: (i) => void i.config.history!.push({ created_by: 'ADD --checksum=sha256:abc https://example.com/x /x # buildkit' }, { created_by: '/bin/sh -c #(nop) COPY file:abc in /app ' }), expect: [] },

  // BW-IMG-012 latest / untagged
  { id: 'BW-IMG-012', name: 'image tagged latest', change: (i) => void (i.repoTags = ['registry.example/app:latest']), expect: [/tagged registry\.example\/app:latest/] },
  { id: 'BW-IMG-012', name: 'image without any tag', change: (i) => void (i.repoTags = []), expect: [/has no tag/] },
  { id: 'BW-IMG-012', name: 'parent from the base.name label, untagged', change: (i) => void (i.runConfig.Labels = { 'org.opencontainers.image.base.name': 'localhost:5000/debian' }), expect: [/parent image localhost:5000\/debian has no tag/] },
  { id: 'BW-IMG-012', name: 'parent tagged latest', change: (i) => void (i.runConfig.Labels = { 'org.opencontainers.image.base.name': 'docker.io/library/debian:latest' }), expect: [/parent image is docker\.io\/library\/debian:latest/] },
  { id: 'BW-IMG-012', name: 'versioned parent and tag pass (registry port is no tag)', change: (i) => { i.runConfig.Labels = { 'org.opencontainers.image.base.name': 'localhost:5000/debian:12-slim' }; i.repoTags = ['localhost:5000/app:2.0']; }, expect: [] },
  { id: 'BW-IMG-012', name: 'latest parent pinned by the base.digest label passes', change: (i) => void (i.runConfig.Labels = { 'org.opencontainers.image.base.name': 'debian:latest', 'org.opencontainers.image.base.digest': 'sha256:abc' }), expect: [] },

  // BW-IMG-013 EOL, BW-IMG-014 near EOL
  { id: 'BW-IMG-013', name: 'Debian 10 past LTS', change: (i) => void (i.os = { ...DEBIAN_12, version: '10', codename: 'buster' }), expect: [/Debian 10 \(Buster\) reached end of life on 2024-06-30 \(end of Debian LTS; regular security support ended 2022-09-10\)/] },
  { id: 'BW-IMG-013', name: 'Ubuntu 20.04: the regular date counts, not ESM', change: (i) => void (i.os = { family: 'ubuntu', version: '20.04', prettyName: 'Ubuntu 20.04.6 LTS', source: '/etc/os-release' }), expect: [/Ubuntu 20\.04 LTS.*reached end of life on 2025-05-29/] },
  { id: 'BW-IMG-013', name: 'Alpine 3.19', change: (i) => void (i.os = { family: 'alpine', version: '3.19.1', source: '/etc/alpine-release' }), expect: [/3\.19.*2025-11-01/] },
  { id: 'BW-IMG-013', name: 'Debian 12 past regular EOL but inside LTS passes', change: () => undefined, expect: [] },
  { id: 'BW-IMG-013', name: 'Debian 10 in 2023: inside LTS passes', change: (i) => void (i.os = { ...DEBIAN_12, version: '10' }), options: { now: new Date('2023-01-01T00:00:00Z'), maxAgeDays: 100_000 }, expect: [] },
  { id: 'BW-IMG-013', name: 'an unknown release passes', change: (i) => void (i.os = { family: 'debian', version: '99', source: '/etc/os-release' }), expect: [] },
  { id: 'BW-IMG-013', name: 'an unknown family passes', change: (i) => void (i.os = { family: 'plan9', version: '4', source: '/etc/os-release' }), expect: [] },
  { id: 'BW-IMG-014', name: 'Debian 12 60 days before LTS ends', change: () => undefined, options: { now: new Date('2028-05-01T00:00:00Z'), maxAgeDays: 100_000 }, expect: [/Debian 12 \(Bookworm\) reaches end of life on 2028-06-30 .* in 60 days/] },
  { id: 'BW-IMG-014', name: 'Alpine 3.22 within 90 days', change: (i) => void (i.os = { family: 'alpine', version: '3.22.0', source: '/etc/alpine-release' }), options: { now: new Date('2027-03-01T00:00:00Z'), maxAgeDays: 100_000 }, expect: [/in 61 days/] },
  { id: 'BW-IMG-014', name: 'near-EOL window follows eolNearDays', change: () => undefined, options: { now: new Date('2028-05-01T00:00:00Z'), maxAgeDays: 100_000, eolNearDays: 30 }, expect: [] },
  { id: 'BW-IMG-014', name: 'past EOL is not also near EOL', change: (i) => void (i.os = { ...DEBIAN_12, version: '10' }), expect: [], also: ['BW-IMG-013'] },

  // BW-IMG-015 age
  { id: 'BW-IMG-015', name: 'created 200 days before now', change: (i) => void (i.config.created = '2026-05-12T12:00:00Z'), expect: [/created 2026-05-12T12:00:00\.000Z, 200 days ago \(more than 90\)/] },
  { id: 'BW-IMG-015', name: '1970 created date', change: (i) => { i.config.created = '1970-01-01T00:00:00Z'; i.config.history = []; }, expect: [/creation date is 1970-01-01T00:00:00Z \(a reproducible-build placeholder\)/] },
  { id: 'BW-IMG-015', name: 'no created date', change: (i) => { delete i.config.created; i.config.history = []; }, expect: [/has no creation date/] },
  { id: 'BW-IMG-015', name: '1970 created but a recent history date passes', change: (i) => { i.config.created = '1970-01-01T00:00:00Z'; i.config.history = [{ created: '2026-11-01T00:00:00Z', created_by: 'RUN x' }]; }, expect: [] },
  { id: 'BW-IMG-015', name: 'recent image passes', change: (i) => void (i.config.created = new Date(NOW.getTime() - 89 * 86_400_000).toISOString()), expect: [] },

  // BW-IMG-016 empty passwords
  { id: 'BW-IMG-016', name: 'empty shadow password', change: replaceFile('/etc/shadow', 'root::19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n'), expect: [/Account root has an empty password in \/etc\/shadow \(line 1\)/] },
  { id: 'BW-IMG-016', name: 'empty passwd field without a shadow entry', change: replaceFile('/etc/passwd', 'root:x:0:0::/root:/sbin/nologin\napp:x:10001:10001::/app:/sbin/nologin\nguest::10002:10002::/:/bin/sh\n'), expect: [/guest has an empty password field in \/etc\/passwd/] },
  { id: 'BW-IMG-016', name: 'locked "!", "*", "!!" and hashes pass', change: replaceFile('/etc/shadow', 'root:*:1::::::\napp:!!:1::::::\nx:!:1::::::\ny:$6$salt$hash:1::::::\n'), expect: [] },

  // BW-IMG-017 duplicates
  { id: 'BW-IMG-017', name: 'second UID 0 account', change: replaceFile('/etc/passwd', 'root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n'), expect: [/UID 0 is shared by users root, toor in \/etc\/passwd: every one of them is root/] },
  { id: 'BW-IMG-017', name: 'duplicate user name', change: replaceFile('/etc/passwd', 'root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/:/bin/sh\napp:x:10002:10002::/:/bin/sh\n'), expect: [/user name app appears 2 times in \/etc\/passwd \(lines 2, 3\)/] },
  { id: 'BW-IMG-017', name: 'duplicate GID', change: replaceFile('/etc/group', 'root:x:0:\napp:x:10001:\nstaff:x:10001:\n'), expect: [/GID 10001 is shared by groups app, staff in \/etc\/group/] },
  { id: 'BW-IMG-017', name: 'unique accounts pass', change: () => undefined, expect: [] },

  // BW-IMG-018 VOLUME
  { id: 'BW-IMG-018', name: 'VOLUME /proc', change: (i) => void (i.runConfig.Volumes = { '/proc': {} }), expect: [/VOLUME \/proc is on \/proc/] },
  { id: 'BW-IMG-018', name: 'VOLUME /sys/fs/cgroup/ and /dev', change: (i) => void (i.runConfig.Volumes = { '/sys/fs/cgroup/': {}, '/dev': {} }), expect: [/VOLUME \/dev is on \/dev/, /VOLUME \/sys\/fs\/cgroup\/ is on \/sys/] },
  { id: 'BW-IMG-018', name: 'VOLUME /data and /device pass', change: (i) => void (i.runConfig.Volumes = { '/data': {}, '/device': {} }), expect: [] },
];

describe('image rules: one failing and one passing case each', () => {
  it('the clean image has no finding at all', () => {
    assert.deepEqual(checkImage(fakeInput(cleanImage()), OPTIONS), []);
  });

  it('every rule has a failing and a passing case', () => {
    for (const { id } of imageRules()) {
      assert.ok(CASES.some((c) => c.id === id && c.expect.length > 0), `${id} failing case`);
      assert.ok(CASES.some((c) => c.id === id && c.expect.length === 0), `${id} passing case`);
    }
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.name}`, () => {
      const img = cleanImage();
      c.change(img);
      const findings = checkImage(fakeInput(img), { ...OPTIONS, ...c.options });
      const mine = findings.filter((f) => f.id === c.id);
      const messages = mine.map((f) => f.description ?? '').sort();
      assert.equal(mine.length, c.expect.length, `findings: ${JSON.stringify(messages)}`);
      c.expect.forEach((re, i) => assert.match(messages[i]!, re));
      // A case changes one thing: no other rule fires (EOL/age cases aside, which move the clock).
      if (!c.options) assert.deepEqual(findings.filter((f) => f.id !== c.id && !(c.also ?? []).includes(f.id)).map((f) => f.id), []);
    });
  }
});

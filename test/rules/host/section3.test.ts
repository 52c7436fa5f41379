import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { buildHostView } from '../../../src/host/view.js';
import type { CheckResult } from '../../../src/host/types.js';
import { CHECKS } from '../../../src/modules/rules/host/section3/index.js';
import {
  ALICE,
  DOCKER_GID,
  GROUP,
  PASSWD,
  makeHostRoot,
  procEntries,
  rightTree,
  wrongTree,
} from '../../support/host-root.js';
import type { HostRoot, TreeEntry } from '../../support/host-root.js';
import { cisReference } from '../../support/cis-reference.js';

const roots: HostRoot[] = [];
after(async () => {
  for (const r of roots) await r.cleanup();
});

async function audit(entries: TreeEntry[]): Promise<Map<string, CheckResult>> {
  const tree = await makeHostRoot(entries);
  roots.push(tree);
  const view = await buildHostView({ root: tree.root });
  const results = new Map<string, CheckResult>();
  for (const check of CHECKS) results.set(check.meta.id, await check.run(view));
  return results;
}

function verdicts(results: Map<string, CheckResult>): Record<string, string> {
  return Object.fromEntries([...results].map(([id, r]) => [id, r.verdict]));
}

const IDS = Array.from({ length: 24 }, (_, i) => `3.${i + 1}`);
const all = (verdict: string): Record<string, string> => Object.fromEntries(IDS.map((id) => [id, verdict]));

describe('CIS section 3 on prepared --root trees', () => {
  it('lists 3.1 to 3.24 in order, titles as in the reference TSV', () => {
    assert.deepEqual(CHECKS.map((c) => c.meta.id), IDS);
    const reference = cisReference();
    for (const check of CHECKS) assert.equal(check.meta.title, reference.get(check.meta.id)?.title, check.meta.id);
  });

  it('right owners and modes: every check PASSes', async () => {
    const results = await audit(rightTree());
    assert.deepEqual(verdicts(results), all('PASS'));
    assert.equal(results.get('3.2')!.details, '/lib/systemd/system/docker.service (644)');
    assert.equal(results.get('3.15')!.details, '/var/run/docker.sock (root:docker)');
    assert.equal(results.get('3.9')!.details, '/etc/docker/tls/ca.pem (root:root)');
  });

  it('wrong owners and modes: every check WARNs and names the file', async () => {
    const results = await audit(wrongTree());
    assert.deepEqual(verdicts(results), all('WARN'));
    const items = (id: string): string[] | undefined => results.get(id)!.items;
    assert.deepEqual(items('3.1'), ['/lib/systemd/system/docker.service']);
    assert.deepEqual(items('3.4'), ['/etc/systemd/system/docker.socket']);
    assert.deepEqual(items('3.6'), ['/etc/docker']);
    assert.deepEqual(items('3.8'), ['/etc/docker/certs.d/registry.example:5000/ca.crt']);
    assert.deepEqual(items('3.14'), ['/etc/docker/tls/key.pem']);
    assert.deepEqual(items('3.15'), ['/var/run/docker.sock']);
    assert.deepEqual(items('3.18'), ['/etc/docker/daemon.json']);
    assert.deepEqual(items('3.21'), ['/etc/sysconfig/docker']);
    assert.deepEqual(items('3.24'), ['/run/containerd/containerd.sock']);
    assert.match(results.get('3.16')!.details!, /^Wrong permissions for \/var\/run\/docker.sock \(666\)/);
    assert.match(results.get('3.13')!.details!, /^Wrong ownership for \/etc\/docker\/tls\/key.pem \(alice:alice\)/);
    assert.match(results.get('3.21')!.details!, /\(4644\)/);
  });

  it('an empty tree: every check INFO with docker-bench-security\'s words', async () => {
    const results = await audit([{ path: '/etc/passwd', content: PASSWD }]);
    assert.deepEqual(verdicts(results), all('INFO'));
    const details = Object.fromEntries([...results].map(([id, r]) => [id, r.details]));
    assert.equal(details['3.1'], 'File not found');
    assert.equal(details['3.5'], 'Directory not found');
    assert.equal(details['3.7'], 'Directory not found');
    assert.equal(details['3.9'], 'No TLS CA certificate found');
    assert.equal(details['3.11'], 'No TLS Server certificate found');
    assert.equal(details['3.14'], 'No TLS Key found');
    assert.equal(details['3.16'], 'File not found');
  });

  it('judges each copy of a unit, each socket and type, and the owner by name', async () => {
    const results = await audit([
      { path: '/etc/passwd', content: PASSWD },
      // no docker group: a socket with gid 999 is not root:docker
      { path: '/etc/group', content: 'root:x:0:\n' },
      { path: '/etc/systemd/system/docker.service', content: '', mode: 0o644 },
      { path: '/usr/lib/systemd/system/docker.service', content: '', mode: 0o666 },
      { path: '/var/run/docker.sock', type: 'socket', mode: 0o660, uid: 0, gid: DOCKER_GID },
      // a directory where a file is expected counts as absent
      { path: '/etc/default/docker', type: 'dir' },
      // 000 is more restrictive than 444
      { path: '/etc/docker/certs.d/r/ca.crt', content: '', mode: 0o000 },
      { path: '/etc/docker/certs.d/r/sub/other.cert', content: '', mode: 0o440, uid: 0, gid: ALICE },
    ]);
    assert.equal(results.get('3.1')!.verdict, 'PASS');
    assert.equal(results.get('3.2')!.verdict, 'WARN');
    assert.deepEqual(results.get('3.2')!.items, ['/usr/lib/systemd/system/docker.service']);
    assert.equal(results.get('3.15')!.verdict, 'WARN');
    assert.match(results.get('3.15')!.details!, /\(root:999\)/);
    assert.equal(results.get('3.16')!.verdict, 'PASS');
    assert.equal(results.get('3.19')!.verdict, 'INFO');
    assert.equal(results.get('3.7')!.verdict, 'WARN');
    assert.deepEqual(results.get('3.7')!.items, ['/etc/docker/certs.d/r/sub/other.cert']);
    assert.equal(results.get('3.8')!.verdict, 'PASS');
  });

  it('TLS files from the dockerd command line in <root>/proc, and dockerd\'s defaults under --tlsverify', async () => {
    const fromCmdline = await audit([
      { path: '/etc/passwd', content: PASSWD },
      { path: '/etc/group', content: GROUP },
      ...procEntries({
        1: ['/sbin/init'],
        42: ['/usr/bin/dockerd', '--tlsverify', '--tlscacert=/srv/ca.pem', '--tlscert', '/srv/cert.pem', '-H', 'tcp://0.0.0.0:2376'],
      }),
      { path: '/srv/ca.pem', content: '', mode: 0o444 },
      { path: '/srv/cert.pem', content: '', mode: 0o644 },
    ]);
    assert.equal(fromCmdline.get('3.9')!.details, '/srv/ca.pem (root:root)');
    assert.equal(fromCmdline.get('3.10')!.verdict, 'PASS');
    assert.equal(fromCmdline.get('3.12')!.verdict, 'WARN');
    // --tlsverify without --tlskey: dockerd reads ~/.docker/key.pem of root
    assert.equal(fromCmdline.get('3.13')!.verdict, 'INFO');

    const defaults = await audit([
      ...procEntries({ 7: ['dockerd', '--tlsverify'] }),
      { path: '/root/.docker/key.pem', content: '', mode: 0o400, uid: ALICE },
    ]);
    assert.equal(defaults.get('3.13')!.verdict, 'WARN');
    assert.deepEqual(defaults.get('3.13')!.items, ['/root/.docker/key.pem']);
    assert.equal(defaults.get('3.14')!.verdict, 'PASS');
  });

  it('daemon.json from --config-file; the managed containerd socket under --exec-root', async () => {
    const results = await audit([
      ...procEntries({ 9: ['dockerd', '--config-file', '/opt/docker/conf.json', '--exec-root=/srv/x'] }),
      { path: '/opt/docker/conf.json', content: '{}', mode: 0o640, uid: 0, gid: ALICE },
      { path: '/etc/docker/daemon.json', content: '{}', mode: 0o644 },
      { path: '/srv/x/containerd/containerd.sock', type: 'socket', mode: 0o600 },
    ]);
    assert.equal(results.get('3.17')!.verdict, 'WARN');
    assert.deepEqual(results.get('3.17')!.items, ['/opt/docker/conf.json']);
    assert.equal(results.get('3.18')!.verdict, 'PASS');
    assert.equal(results.get('3.23')!.details, '/srv/x/containerd/containerd.sock (0:0)');
    assert.equal(results.get('3.24')!.verdict, 'PASS');
  });

  it('uses names from the tree\'s /etc/group, not the live host\'s', async () => {
    const results = await audit([
      { path: '/etc/passwd', content: PASSWD },
      { path: '/etc/group', content: GROUP.replace('docker:x:999', 'docker:x:4242') },
      { path: '/run/docker.sock', type: 'socket', mode: 0o660, uid: 0, gid: 4242 },
      { path: '/var/run', type: 'symlink', target: '/run' },
    ]);
    assert.equal(results.get('3.15')!.verdict, 'PASS');
    assert.equal(results.get('3.15')!.details, '/var/run/docker.sock (root:docker)');
  });
});

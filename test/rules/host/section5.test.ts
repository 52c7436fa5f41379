/**
 * CIS section 5 against the real engine: one running container per misconfiguration (plus a hardened
 * one), the audit's facts filtered to this suite's label, and every check's verdict and items asserted.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { fetchEngineFacts } from '../../../src/host/engine.js';
import type { CheckResult, EngineFacts, HostView } from '../../../src/host/types.js';
import { CHECKS } from '../../../src/modules/rules/host/section5/index.js';
import { labelFilter, plainHostView, removeSuiteContainers, startContainers, type ContainerSpec } from '../../support/host-containers.js';

const SUITE = 'host-section5';
const P = 'bw-h5-';
const SHARED_DIR = '/tmp/bw-h5-shared';
const NONE = ['--network', 'none'];

const SPECS: ContainerSpec[] = [
  { name: `${P}capadd`, options: [...NONE, '--cap-add', 'SYS_ADMIN', '--cap-add', 'chown'] },
  { name: `${P}cgroup`, options: [...NONE, '--cgroup-parent', '/bulwark-test-h5'] },
  { name: `${P}device`, options: [...NONE, '--device', '/dev/null:/dev/xnull'] },
  {
    name: `${P}hardened`,
    options: [
      ...NONE, '--read-only', '--user', '1000:1000', '--memory', '64m', '--cpu-shares', '512', '--pids-limit', '64',
      '--security-opt', 'no-new-privileges', '--cap-drop', 'ALL', '--restart', 'on-failure:5', '--ulimit', 'nofile=1024:1024',
      '--health-cmd', 'true', '--health-interval', '30s',
    ],
  },
  { name: `${P}hostnet`, options: ['--network', 'host'] },
  { name: `${P}ipc`, options: [...NONE, '--ipc', 'host'] },
  { name: `${P}limits`, options: [...NONE, '--memory', '64m', '--cpu-shares', '512', '--pids-limit', '100'] },
  { name: `${P}nnp`, options: [...NONE, '--security-opt', 'no-new-privileges'] },
  { name: `${P}pid`, options: [...NONE, '--pid', 'host'] },
  { name: `${P}readonly`, options: [...NONE, '--read-only', '--user', '1000'] },
  { name: `${P}restart-5`, options: [...NONE, '--restart', 'on-failure:5'] },
  { name: `${P}restart-always`, options: [...NONE, '--restart', 'always'] },
  { name: `${P}rootmount`, options: [...NONE, '-v', '/:/host:ro'] },
  { name: `${P}seccomp`, options: [...NONE, '--security-opt', 'seccomp=unconfined'] },
  { name: `${P}shared`, options: [...NONE, '-v', `${SHARED_DIR}:/mnt:rshared`] },
  { name: `${P}sock`, options: [...NONE, '-v', '/var/run/docker.sock:/var/run/docker.sock'] },
  // A process whose name is sshd: a copy of sleep, so no SSH server is needed in the image.
  { name: `${P}sshd`, options: NONE, command: ['sh', '-c', 'cp /bin/sleep /tmp/sshd && exec /tmp/sshd infinity'] },
  { name: `${P}userns`, options: [...NONE, '--userns', 'host'] },
  { name: `${P}uts`, options: [...NONE, '--uts', 'host'] },
];
const NAMES = SPECS.map((s) => s.name).sort();
const without = (...short: string[]): string[] => NAMES.filter((n) => !short.some((s) => n === `${P}${s}`));

let facts: EngineFacts;
let view: HostView;
const results = new Map<string, CheckResult>();

function result(id: string): CheckResult {
  const r = results.get(id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

/** The container names a result's items are about, sorted. */
function namesOf(r: CheckResult): string[] {
  return [...new Set((r.items ?? []).map((i) => i.slice(0, i.indexOf(':'))))].sort();
}

async function runAll(v: HostView): Promise<Map<string, CheckResult>> {
  const out = new Map<string, CheckResult>();
  for (const check of CHECKS) {
    const r = await check.run(v);
    assert.equal(r.id, check.meta.id);
    out.set(r.id, r);
  }
  return out;
}

describe('CIS section 5 on real containers', { timeout: 600_000 }, () => {
  before(async () => {
    await removeSuiteContainers(SUITE);
    // rshared needs a shared mount as its source: a bind of a temp dir onto itself, made shared.
    mkdirSync(SHARED_DIR, { recursive: true });
    try {
      execFileSync('umount', [SHARED_DIR], { stdio: 'ignore' });
    } catch {}
    execFileSync('mount', ['--bind', SHARED_DIR, SHARED_DIR]);
    execFileSync('mount', ['--make-shared', SHARED_DIR]);
    await startContainers(SUITE, SPECS);
    const got = await fetchEngineFacts({ timeoutMs: 30_000, containerFilter: labelFilter(SUITE), imageDetails: false });
    assert.ok(got, 'the engine answers');
    facts = got;
    view = plainHostView('/', { engine: facts });
    for (const [k, v] of await runAll(view)) results.set(k, v);
  });

  after(async () => {
    await removeSuiteContainers(SUITE);
    try {
      execFileSync('umount', [SHARED_DIR], { stdio: 'ignore' });
    } catch {}
    rmSync(SHARED_DIR, { recursive: true, force: true });
  });

  it('inspects each running container of the suite exactly once', () => {
    assert.deepEqual(facts.inspects.map((i) => i.Name.slice(1)).sort(), NAMES);
    assert.equal(facts.containers.length, NAMES.length);
    // ping, info, version, image list, container list, one inspect per running container
    assert.equal(facts.calls, 5 + NAMES.length);
  });

  it('has the 32 checks of section 5 in id order', () => {
    assert.deepEqual(
      CHECKS.map((c) => c.meta.id),
      Array.from({ length: 32 }, (_, i) => `5.${i + 1}`),
    );
  });

  it('5.1 swarm inactive: PASS; 5.2/5.3 AppArmor and SELinux absent on this host: INFO', () => {
    assert.equal(result('5.1').verdict, 'PASS');
    assert.equal(result('5.2').verdict, 'INFO');
    assert.match(result('5.2').details!, /AppArmor is not enabled/);
    assert.equal(result('5.3').verdict, 'INFO');
  });

  it('5.4 capabilities: only SYS_ADMIN counts (CHOWN is in the default set)', () => {
    assert.equal(result('5.4').verdict, 'WARN');
    assert.deepEqual(result('5.4').items, [`${P}capadd: capabilities added: SYS_ADMIN`]);
  });

  it('5.5 privileged: none of the running containers', () => {
    assert.equal(result('5.5').verdict, 'PASS');
  });

  it('5.6 sensitive mounts: / read-only; the socket mount is not a system directory', () => {
    assert.equal(result('5.6').verdict, 'WARN');
    assert.deepEqual(result('5.6').items, [`${P}rootmount: sensitive directory / mounted at /host (read-only)`]);
  });

  it('5.7 sshd: found through /proc, no exec', () => {
    const r = result('5.7');
    assert.equal(r.verdict, 'WARN');
    assert.equal(r.items?.length, 1);
    assert.match(r.items![0]!, new RegExp(`^${P}sshd: container running sshd \\(host pid \\d+\\)$`));
  });

  it('5.8/5.14: no ports can be published without a bridge network: PASS; 5.9 NOTE', () => {
    assert.equal(result('5.8').verdict, 'PASS');
    assert.equal(result('5.14').verdict, 'PASS');
    assert.equal(result('5.9').verdict, 'NOTE');
    assert.equal(result('5.9').items, undefined);
  });

  it('5.10/5.16/5.17/5.21/5.31 host namespaces, one container each', () => {
    const one = (id: string, name: string, flag: string, kind: string) => {
      assert.equal(result(id).verdict, 'WARN', id);
      assert.deepEqual(result(id).items, [`${P}${name}: shares the host's ${kind} namespace (${flag}=host)`], id);
    };
    one('5.10', 'hostnet', '--network', 'network');
    one('5.16', 'pid', '--pid', 'process');
    one('5.17', 'ipc', '--ipc', 'IPC');
    one('5.21', 'uts', '--uts', 'UTS');
    one('5.31', 'userns', '--userns', 'user');
  });

  it('5.11 memory, 5.12 CPU shares, 5.29 PIDs limit: all but the limited and the hardened', () => {
    for (const [id, what] of [['5.11', 'no memory limit'], ['5.12', 'CPU shares not set'], ['5.29', 'PIDs limit not set']] as const) {
      assert.equal(result(id).verdict, 'WARN', id);
      assert.deepEqual(result(id).items, without('limits', 'hardened').map((n) => `${n}: ${what}`), id);
    }
  });

  it('5.13 read-only root: all but readonly and hardened', () => {
    assert.equal(result('5.13').verdict, 'WARN');
    assert.deepEqual(namesOf(result('5.13')), without('readonly', 'hardened'));
  });

  it('5.15 restart policy: always warns, on-failure:5 and none pass', () => {
    assert.equal(result('5.15').verdict, 'WARN');
    assert.deepEqual(result('5.15').items, [`${P}restart-always: restart policy set to always`]);
  });

  it('5.18 devices: INFO for the one with --device', () => {
    assert.equal(result('5.18').verdict, 'INFO');
    assert.deepEqual(result('5.18').items, [`${P}device: device /dev/null exposed at /dev/xnull (rwm)`]);
  });

  it('5.19 ulimit override: INFO for all but the hardened', () => {
    assert.equal(result('5.19').verdict, 'INFO');
    assert.deepEqual(namesOf(result('5.19')), without('hardened'));
  });

  it('5.20 shared propagation', () => {
    assert.equal(result('5.20').verdict, 'WARN');
    assert.deepEqual(result('5.20').items, [`${P}shared: /mnt has mount propagation rshared`]);
  });

  it('5.22 seccomp unconfined', () => {
    assert.equal(result('5.22').verdict, 'WARN');
    assert.deepEqual(result('5.22').items, [`${P}seccomp: seccomp is unconfined`]);
  });

  it('5.23/5.24/5.28 are NOTE; 5.30 no container on docker0: PASS', () => {
    for (const id of ['5.23', '5.24', '5.28']) assert.equal(result(id).verdict, 'NOTE', id);
    assert.equal(result('5.30').verdict, 'PASS');
  });

  it('5.25 cgroup parent', () => {
    assert.equal(result('5.25').verdict, 'WARN');
    assert.deepEqual(result('5.25').items, [`${P}cgroup: confirm cgroup usage: cgroup parent /bulwark-test-h5`]);
  });

  it('5.26 no-new-privileges: all but nnp and hardened; a daemon-wide setting passes them all', async () => {
    assert.equal(result('5.26').verdict, 'WARN');
    assert.deepEqual(namesOf(result('5.26')), without('nnp', 'hardened'));
    const daemonWide = plainHostView('/', { engine: facts, daemonJson: { 'no-new-privileges': true } });
    const r = await CHECKS.find((c) => c.meta.id === '5.26')!.run(daemonWide);
    assert.equal(r.verdict, 'PASS');
  });

  it('5.27 health check at runtime: all but the hardened', () => {
    assert.equal(result('5.27').verdict, 'WARN');
    assert.deepEqual(namesOf(result('5.27')), without('hardened'));
  });

  it('5.32 docker.sock mounted', () => {
    assert.equal(result('5.32').verdict, 'WARN');
    assert.deepEqual(result('5.32').items, [`${P}sock: Docker socket shared: /var/run/docker.sock mounted at /var/run/docker.sock`]);
  });

  it('5.5 privileged: a real privileged container (created: runc cannot start one on this machine)', async () => {
    const [id] = (await startContainers(SUITE, [{ name: `${P}privileged`, options: [...NONE, '--privileged'], createOnly: true }])).values();
    const inspect = await new Docker().getContainer(id!).inspect();
    const v = plainHostView('/', { engine: { ...facts, inspects: [...facts.inspects, inspect] } });
    const r = await CHECKS.find((c) => c.meta.id === '5.5')!.run(v);
    assert.equal(r.verdict, 'WARN');
    assert.deepEqual(r.items, [`${P}privileged: running in privileged mode`]);
  });

  it('5.8/5.9/5.14 on published ports: a real inspect with the port table dockerd reports on a bridge network', async () => {
    // This engine has no bridge network (no private-range addresses here), so no port can really be
    // published; the container keeps its PortBindings, which is what NetworkSettings.Ports shows once
    // it is attached to a bridge.
    const [id] = (
      await startContainers(SUITE, [{ name: `${P}ports`, options: [...NONE, '-p', '80', '-p', '127.0.0.1:8443:443', '-p', '0.0.0.0:18080:8080'], createOnly: true }])
    ).values();
    const inspect = await new Docker().getContainer(id!).inspect();
    const bindings = inspect.HostConfig.PortBindings as Record<string, { HostIp: string; HostPort: string }[]>;
    // "-p 80" asks for an ephemeral host port; dockerd picks one above 1024 (here: 32768) or keeps a fixed one.
    const ports = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, v.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort || '32768' }))]));
    const published = { ...inspect, NetworkSettings: { ...inspect.NetworkSettings, Ports: ports } };
    const priv = { ...published, Name: `/${P}ports-priv`, NetworkSettings: { ...published.NetworkSettings, Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '80' }] } } };
    const v = plainHostView('/', { engine: { ...facts, inspects: [published, priv] } });
    const run = (cid: string) => CHECKS.find((c) => c.meta.id === cid)!.run(v);
    const r8 = await run('5.8');
    assert.equal(r8.verdict, 'WARN');
    assert.deepEqual(r8.items, [`${P}ports-priv: privileged port 80 in use (80/tcp)`]);
    const r14 = await run('5.14');
    assert.equal(r14.verdict, 'WARN');
    assert.deepEqual(r14.items, [
      `${P}ports: port 80/tcp bound to wildcard IP 0.0.0.0:32768`,
      `${P}ports: port 8080/tcp bound to wildcard IP 0.0.0.0:18080`,
      `${P}ports-priv: port 80/tcp bound to wildcard IP 0.0.0.0:80`,
    ]);
    const r9 = await run('5.9');
    assert.equal(r9.verdict, 'NOTE');
    assert.deepEqual(r9.items, [
      `${P}ports: 443/tcp published on 127.0.0.1:8443`,
      `${P}ports: 80/tcp published on 0.0.0.0:32768`,
      `${P}ports: 8080/tcp published on 0.0.0.0:18080`,
      `${P}ports-priv: 80/tcp published on 0.0.0.0:80`,
    ]);
  });

  it('a hardened container alone passes every automated container check', async () => {
    const hardened = facts.inspects.filter((i) => i.Name === `/${P}hardened`);
    const v = plainHostView('/', { engine: { ...facts, inspects: hardened } });
    const got = await runAll(v);
    const notPass = [...got.values()].filter((r) => r.verdict !== 'PASS').map((r) => `${r.id} ${r.verdict}`);
    // INFO: AppArmor/SELinux not on this host; NOTE: the manual ones.
    assert.deepEqual(notPass, ['5.2 INFO', '5.3 INFO', '5.9 NOTE', '5.23 NOTE', '5.24 NOTE', '5.28 NOTE']);
  });

  it('no running container: INFO, not PASS', async () => {
    const v = plainHostView('/', { engine: { ...facts, inspects: [] } });
    const got = await runAll(v);
    assert.equal(got.get('5.5')!.verdict, 'INFO');
    assert.equal(got.get('5.7')!.verdict, 'INFO');
    assert.equal(got.get('5.1')!.verdict, 'PASS');
  });
});

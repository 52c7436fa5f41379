/**
 * CIS section 2 against real daemons: throwaway dockerds started with chosen flags and daemon.json
 * beside the main engine, found in the live /proc by their socket, with their Engine API facts.
 * Settings a daemon here cannot start with (icc=false needs iptables, userns-remap creates users,
 * authorization plugins and dm.basesize need software that is not here, TCP without TLS stalls
 * start-up) are tested on --root trees with a recorded command line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fetchEngineFacts } from '../../../src/host/engine.js';
import type { CheckResult, HostView } from '../../../src/host/types.js';
import { buildHostView } from '../../../src/host/view.js';
import { CHECKS } from '../../../src/modules/rules/host/section2/index.js';
import { startTestDockerds } from '../../support/dockerd.js';
import type { TestDockerd } from '../../support/dockerd.js';
import { makeHostRoot, procEntries } from '../../support/host-root.js';
import type { HostRoot, TreeEntry } from '../../support/host-root.js';
import { cisReference } from '../../support/cis-reference.js';

const IDS = Array.from({ length: 18 }, (_, i) => `2.${i + 1}`);

/** Runs the checks as the runner does: a check that needs the engine is INFO when there is none. */
async function run(view: HostView): Promise<Map<string, CheckResult>> {
  const results = new Map<string, CheckResult>();
  for (const check of CHECKS) {
    const result: CheckResult =
      check.meta.needsEngine && !view.engine
        ? { id: check.meta.id, verdict: 'INFO', details: 'no Docker daemon reachable: not checked' }
        : await check.run(view);
    results.set(check.meta.id, result);
  }
  return results;
}

function verdicts(results: Map<string, CheckResult>): Record<string, string> {
  return Object.fromEntries([...results].map(([id, r]) => [id, r.verdict]));
}

async function liveView(daemon: TestDockerd): Promise<HostView & { daemonJsonError?: string }> {
  const engine = await fetchEngineFacts({ dockerHost: daemon.host, timeoutMs: 15_000, imageDetails: false });
  assert.ok(engine, `engine at ${daemon.host} answers`);
  const view = await buildHostView({ engine, daemonSocket: daemon.host });
  assert.equal(view.daemon?.pid, daemon.pid, 'the test daemon, not the main one, is audited');
  return view;
}

describe('CIS section 2 against real dockerd processes', () => {
  let plain: TestDockerd;
  let hardened: TestDockerd;
  let loose: TestDockerd;
  let seccompPath: string;

  before(async () => {
    execFileSync('bash', ['scripts/start-dockerd.sh'], { stdio: 'ignore' });
    seccompPath = `/tmp/bw-seccomp-${process.pid}.json`;
    await writeFile(seccompPath, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [] }));
    [plain, hardened, loose] = (await startTestDockerds([
      {},
      {
        flags: ['--live-restore', '--userland-proxy=false', '--no-new-privileges', '--default-ulimit', 'nofile=1024:2048', `--seccomp-profile=${seccompPath}`],
        daemonJson: { 'log-level': 'info', 'log-driver': 'syslog' },
      },
      {
        flags: ['--log-level', 'debug', '--insecure-registry', '127.0.0.1:5999', '--cgroup-parent=/bulwark-test'],
        daemonJson: { experimental: true, 'userland-proxy': true },
      },
    ])) as [TestDockerd, TestDockerd, TestDockerd];
  });

  after(async () => {
    await Promise.all([plain, hardened, loose].filter(Boolean).map((d) => d.stop()));
    const { rm } = await import('node:fs/promises');
    await rm(seccompPath, { force: true });
  });

  it('lists 2.1 to 2.18 in order, titles as in the reference TSV', () => {
    assert.deepEqual(CHECKS.map((c) => c.meta.id), IDS);
    const reference = cisReference();
    for (const check of CHECKS) {
      assert.equal(check.meta.title, reference.get(check.meta.id)?.title, check.meta.id);
      if (check.meta.needsEngine) assert.equal(reference.get(check.meta.id)?.needsDaemonApi, true, check.meta.id);
    }
  });

  it('a daemon with only the coexistence flags: the defaults', async () => {
    const results = await run(await liveView(plain));
    assert.deepEqual(verdicts(results), {
      '2.1': 'NOTE',
      '2.2': 'WARN',
      '2.3': 'PASS',
      '2.4': 'WARN',
      '2.5': 'PASS',
      '2.6': 'PASS',
      '2.7': 'INFO',
      '2.8': 'INFO',
      '2.9': 'WARN',
      '2.10': 'PASS',
      '2.11': 'PASS',
      '2.12': 'WARN',
      '2.13': 'WARN',
      '2.14': 'WARN',
      '2.15': 'WARN',
      '2.16': 'WARN',
      '2.17': 'PASS',
      '2.18': 'PASS',
    });
    assert.equal(results.get('2.4')!.details, 'dockerd --iptables=false');
    assert.equal(results.get('2.6')!.details, 'Storage Driver: vfs');
    assert.equal(results.get('2.7')!.details, 'Docker daemon not listening on TCP');
    assert.match(results.get('2.1')!.details!, new RegExp(`dockerd \\(pid ${plain.pid}\\) runs as uid 0`));
  });

  it('hardening flags and daemon.json: the PASS side', async () => {
    const results = await run(await liveView(hardened));
    const v = verdicts(results);
    assert.equal(v['2.3'], 'PASS');
    assert.equal(results.get('2.3')!.details, 'daemon.json "log-level": "info"');
    assert.equal(v['2.8'], 'PASS');
    assert.deepEqual(results.get('2.8')!.items, ['nofile=1024:2048']);
    assert.equal(v['2.13'], 'PASS');
    assert.equal(results.get('2.13')!.details, 'Logging Driver: syslog');
    assert.equal(v['2.14'], 'PASS');
    assert.equal(results.get('2.14')!.details, 'dockerd --no-new-privileges=true');
    assert.equal(v['2.15'], 'PASS');
    assert.equal(results.get('2.15')!.details, 'Live Restore Enabled: true');
    assert.equal(v['2.16'], 'PASS');
    assert.equal(v['2.17'], 'INFO');
    assert.match(results.get('2.17')!.details!, /^custom seccomp profile: /);
    assert.equal(v['2.18'], 'PASS');
  });

  it('loose flags and daemon.json: the WARN side', async () => {
    const view = await liveView(loose);
    const results = await run(view);
    const v = verdicts(results);
    assert.equal(v['2.3'], 'WARN');
    assert.equal(results.get('2.3')!.details, 'dockerd --log-level debug');
    assert.equal(v['2.5'], 'WARN');
    assert.deepEqual(results.get('2.5')!.items, ['127.0.0.1:5999']);
    assert.equal(v['2.10'], 'WARN');
    assert.equal(results.get('2.10')!.details, 'Confirm cgroup usage: dockerd --cgroup-parent /bulwark-test');
    assert.equal(v['2.16'], 'WARN');
    assert.equal(results.get('2.16')!.details, 'daemon.json "userland-proxy": true');
    assert.equal(v['2.18'], 'WARN');
    assert.equal(v['2.15'], 'WARN');
  });
});

describe('CIS section 2 from a recorded command line and daemon.json (--root)', () => {
  const roots: HostRoot[] = [];
  after(async () => {
    for (const r of roots) await r.cleanup();
  });
  async function treeResults(entries: TreeEntry[]): Promise<Map<string, CheckResult>> {
    const t = await makeHostRoot(entries);
    roots.push(t);
    return run(await buildHostView({ root: t.root }));
  }

  it('icc=false, userns-remap, authorization plugin, TLS on TCP with verification', async () => {
    const results = await treeResults([
      ...procEntries({
        1: ['/sbin/init'],
        812: ['/usr/bin/dockerd', '--icc=false', '--userns-remap=default', '--authorization-plugin=opa', '-H', 'fd://', '-H', 'tcp://0.0.0.0:2376', '--tlsverify'],
      }),
    ]);
    const v = verdicts(results);
    assert.equal(v['2.2'], 'PASS');
    assert.equal(v['2.9'], 'PASS');
    assert.equal(v['2.12'], 'PASS');
    assert.equal(v['2.7'], 'PASS');
    assert.deepEqual(results.get('2.7')!.items, ['tcp://0.0.0.0:2376']);
  });

  it('TCP without TLS, TCP with TLS but no verification, dm.basesize, debug', async () => {
    const noTls = await treeResults([
      { path: '/etc/docker/daemon.json', content: JSON.stringify({ hosts: ['tcp://127.0.0.1:2375'], 'storage-opts': ['dm.basesize=50G'], debug: true }) },
    ]);
    assert.equal(noTls.get('2.7')!.verdict, 'WARN');
    assert.equal(noTls.get('2.7')!.details, 'Docker daemon currently listening on TCP without TLS');
    assert.equal(noTls.get('2.11')!.verdict, 'WARN');
    assert.deepEqual(noTls.get('2.11')!.items, ['dm.basesize=50G']);
    assert.equal(noTls.get('2.3')!.verdict, 'WARN');

    const tlsOnly = await treeResults([
      ...procEntries({ 5: ['dockerd', '--tls', '--tlscert=/c.pem', '--tlskey=/k.pem', '-H=tcp://127.0.0.1:2376'] }),
    ]);
    assert.equal(tlsOnly.get('2.7')!.verdict, 'WARN');
    assert.equal(tlsOnly.get('2.7')!.details, 'Docker daemon currently listening on TCP with TLS, but no verification');
  });

  it('without an engine, the engine checks are left to the runner and 2.15 reads the settings', async () => {
    const results = await treeResults([
      ...procEntries({ 5: ['dockerd', '--live-restore'] }),
    ]);
    assert.equal(results.get('2.15')!.verdict, 'PASS');
    assert.equal(results.get('2.15')!.details, 'dockerd --live-restore=true');
    for (const id of ['2.6', '2.13', '2.17', '2.18']) {
      assert.equal(CHECKS.find((c) => c.meta.id === id)!.meta.needsEngine, true, id);
    }
  });
});

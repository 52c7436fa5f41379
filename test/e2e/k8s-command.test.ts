import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Log } from 'sarif';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { runCli } from '../support/cli.js';
import { RecordedKubeApi, writeKubeconfig } from '../support/recorded-kube-api.js';
import { reportValidator, sarifValidator } from '../report/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/k8s/', import.meta.url));

// Line numbers matter: the privileged flag is on line 17, the second document's first line is 9.
const MULTI = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
    - name: shell
      securityContext: { privileged: true }
      image: registry.example.com/tools/shell:1.4
`;

describe('bulwark k8s (manifests and snapshots)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-k8s-'));
    await writeFile(join(dir, 'multi.yaml'), MULTI);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('points each finding at the file and line of the field in a multi-document file, and at the object', async () => {
    const r = await runCli(['k8s', 'multi.yaml', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(reportValidator()(result), []);
    assert.equal(result.artifact.source, 'kubernetes');
    const privileged = result.findings.find((f) => f.id === 'BW-PSS-002');
    assert.ok(privileged, 'privileged container found');
    assert.deepEqual(privileged.location, {
      path: 'multi.yaml',
      line: 17,
      resource: 'v1/Pod/shop/debug#spec.containers[0].securityContext.privileged',
    });
    assert.equal(privileged.stackLayer, 'orchestrator');
    assert.ok(privileged.aliases.includes('pss:privileged') && privileged.aliases.includes('CKV_K8S_16'));
    const lines = result.findings.filter((f) => f.location.resource?.startsWith('v1/Pod/')).map((f) => f.location.line!);
    assert.ok(lines.every((l) => l >= 9), `Pod findings sit in the second document: ${lines.join(',')}`);
  });

  it('checks PSS, workload hygiene and RBAC over files and directories, and warns about malformed YAML by file and line', async () => {
    const r = await runCli(['k8s', join(FIXTURES, 'workload/unhardened.yaml'), join(FIXTURES, 'rbac'), join(FIXTURES, 'load/malformed.yaml'), '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /malformed\.yaml:\d+: .*document skipped/);
    const ids = new Set((JSON.parse(r.stdout) as ImageScanResult).findings.map((f) => f.id));
    for (const id of ['BW-PSS-004', 'BW-K8S-009', 'BW-K8S-011', 'BW-K8S-102', 'BW-K8S-108']) assert.ok(ids.has(id), `${id} reported`);
  });

  it('reads standard input, gates with --exit-code and --severity, and a hardened manifest passes', async () => {
    const bad = await runCli(['k8s', '-', '--exit-code', '4', '--severity', 'CRITICAL'], { cwd: dir, input: MULTI });
    assert.equal(bad.code, 4, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /BW-PSS-002/);
    assert.doesNotMatch(bad.stdout, /BW-PSS-014/, 'MEDIUM findings are filtered out');
    const good = await runCli(['k8s', join(FIXTURES, 'clean.yaml'), '--exit-code', '4']);
    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, /No misconfigurations found/);
  });

  it('writes SARIF whose results carry the file and line', async () => {
    const r = await runCli(['k8s', 'multi.yaml', '-f', 'sarif'], { cwd: dir });
    const log = JSON.parse(r.stdout) as Log;
    assert.deepEqual(sarifValidator()(log), []);
    const result = log.runs[0]!.results!.find((x) => x.ruleId === 'BW-PSS-002')!;
    assert.equal(result.locations![0]!.physicalLocation!.artifactLocation!.uri, 'multi.yaml');
    assert.equal(result.locations![0]!.physicalLocation!.region!.startLine, 17);
    assert.ok(log.runs[0]!.tool.driver.rules!.some((d) => d.id === 'BW-PSS-002'));
  });

  it('fails in one line for a missing file or no input at all, with nothing on stdout', async () => {
    for (const args of [['k8s', 'nope.yaml'], ['k8s']]) {
      const r = await runCli(args, { cwd: dir });
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    }
  });
});

describe('bulwark k8s: the orchestrator itself', () => {
  it('judges --k8s-version against the end-of-life data, and a Node of a snapshot the same way', async () => {
    const r = await runCli(['k8s', '--k8s-version', 'v1.27.3-eks-2f008fe', '-f', 'json', '--exit-code', '6']);
    assert.equal(r.code, 6, r.stderr);
    const result = JSON.parse(r.stdout) as ImageScanResult;
    assert.deepEqual(reportValidator()(result), []);
    const eol = result.findings.find((f) => f.id === 'BW-K8S-201')!;
    assert.match(eol.description!, /1\.27 reached its end of life on 2024-06-28/);
    const data = join(FIXTURES, 'orchestrator', 'eol-broken.json');
    const broken = await runCli(['k8s', '--k8s-version', '1.30.2'], { env: { BULWARK_K8S_EOL_DATA: data } });
    assert.notEqual(broken.code, 0);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, /eol-broken\.json/);
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  });

  it('reads a node root: insecure control-plane flags are reported at their manifest line, a hardened node passes', async () => {
    const bad = await runCli(['k8s', '--root', join(FIXTURES, 'root/insecure'), '-f', 'json']);
    assert.equal(bad.code, 0, bad.stderr);
    const findings = (JSON.parse(bad.stdout) as ImageScanResult).findings;
    const anonymous = findings.find((f) => f.id === 'BW-K8S-301')!;
    assert.equal(anonymous.location.path, '/etc/kubernetes/manifests/kube-apiserver.yaml');
    assert.ok(anonymous.aliases.includes('CIS-K8S-1.2.1'));
    const manifest = join(FIXTURES, 'root/insecure/etc/kubernetes/manifests/kube-apiserver.yaml');
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(manifest, 'utf8').split('\n');
    assert.match(anonymous.description!, /not set and defaults to true/);
    assert.match(lines[anonymous.location.line! - 1]!, /command:/, 'an unset flag points at the command line');
    const alwaysAllow = findings.find((f) => f.id === 'BW-K8S-302')!;
    assert.match(lines[alwaysAllow.location.line! - 1]!, /--authorization-mode\b/);
    for (const id of ['BW-K8S-302', 'BW-K8S-307', 'BW-K8S-312', 'BW-K8S-320', 'BW-K8S-323']) assert.ok(findings.some((f) => f.id === id), `${id} reported`);
    const good = await runCli(['k8s', '--root', join(FIXTURES, 'root/hardened'), '--exit-code', '1']);
    assert.equal(good.code, 0, good.stdout);
    const missing = await runCli(['k8s', '--root', join(FIXTURES, 'no-such-root')]);
    assert.match(missing.stderr, /--root .*no such directory/);
  });

  it('verify-binaries: a binary that differs from the release checksum fails the gate, the real release files pass', async () => {
    const dir = join(FIXTURES, 'verify/dl-k8s-io');
    const good = await runCli(['k8s', 'verify-binaries', dir, '--checksums', dir, '--exit-code', '5']);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stderr, /2 of 2 binaries match/);
    const bad = await runCli(['k8s', 'verify-binaries', dir, '--checksums', join(FIXTURES, 'verify/wrong-kubelet.sha256sum'), '--exit-code', '5', '-f', 'json']);
    assert.equal(bad.code, 5, bad.stderr);
    const mismatch = (JSON.parse(bad.stdout) as ImageScanResult).findings.find((f) => f.id === 'BW-K8S-401')!;
    assert.equal(mismatch.severity, 'CRITICAL');
    assert.equal(mismatch.location.path, join(dir, 'kubelet'));
    const none = await runCli(['k8s', 'verify-binaries', dir, '--checksums', join(FIXTURES, 'nope.sha256')]);
    assert.notEqual(none.code, 0);
    assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
    assert.match(none.stderr, /nope\.sha256/);
  });
});

describe('bulwark k8s --cluster (recorded kube-apiserver answers on 127.0.0.1)', () => {
  it('reads the cluster read-only through the kubeconfig and checks it like manifests, with the server version', async () => {
    const api = await new RecordedKubeApi().start();
    const kubeconfig = writeKubeconfig(api.url);
    try {
      const r = await runCli(['k8s', '--kubeconfig', kubeconfig.path, '--context', 'recorded', '-f', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as ImageScanResult;
      assert.deepEqual(reportValidator()(result), []);
      assert.equal(result.artifact.source, 'kubernetes-cluster');
      assert.equal(result.artifact.reference, 'cluster recorded');
      const ids = new Set(result.findings.map((f) => f.id));
      for (const id of ['BW-PSS-002', 'BW-K8S-102', 'BW-K8S-003']) assert.ok(ids.has(id), `${id} reported`);
      const privileged = result.findings.find((f) => f.id === 'BW-PSS-002')!;
      assert.equal(privileged.location.path, undefined, 'no file for a live object');
      assert.match(privileged.location.resource!, /#spec\..*privileged$/);
      assert.ok(api.requests.length > 0 && api.requests.every((q) => q.method === 'GET'), 'read-only');
      const unreachable = await runCli(['k8s', '--kubeconfig', kubeconfig.path, '--context', 'other', '--timeout', '3s']);
      assert.notEqual(unreachable.code, 0);
      assert.equal(unreachable.stdout, '');
      assert.equal(unreachable.stderr.trim().split('\n').length, 1, unreachable.stderr);
      assert.match(unreachable.stderr, /cluster other/);
    } finally {
      kubeconfig.cleanup();
      await api.stop();
    }
  });
});

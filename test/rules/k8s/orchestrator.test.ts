import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/core/finding.js';
import { readControlPlane, type ControlPlaneInput } from '../../../src/k8s/orchestrator/control-plane.js';
import { parseK8sEolData, type K8sEolData } from '../../../src/k8s/orchestrator/eol-data.js';
import { loadManifests } from '../../../src/k8s/load.js';
import {
  CONTROL_PLANE_RULES,
  ORCHESTRATOR_RULES,
  checkControlPlane,
  checkKubernetesVersion,
  orchestratorPack,
  orchestratorRules,
} from '../../../src/modules/rules/k8s/orchestrator/index.js';
import { makeRoot } from '../../k8s/orchestrator/roots.js';
import { assertMetaContract } from '../meta-contract.js';

const ROOT = fileURLToPath(new URL('../../fixtures/k8s/root/', import.meta.url));
const hardened = await readControlPlane(`${ROOT}hardened`);
const insecure = await readControlPlane(`${ROOT}insecure`);

const ids = (fs: readonly Finding[]): string[] => [...new Set(fs.map((f) => f.id))].sort();
const of = (fs: readonly Finding[], id: string): Finding[] => fs.filter((f) => f.id === id);
async function findingsFor(files: Record<string, string>, from?: 'hardened' | 'insecure'): Promise<Finding[]> {
  return checkControlPlane(await readControlPlane(makeRoot(files, from)), 't');
}

const APISERVER = '/etc/kubernetes/manifests/kube-apiserver.yaml';
const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
function apiserverWith(...flags: string[]): Record<string, string> {
  return { [APISERVER]: `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n${flags.map((f) => `    - "${f}"\n`).join('')}` };
}

describe('orchestrator pack metadata', () => {
  it('meets the rule contract, with CIS Kubernetes Benchmark ids as aliases', () => {
    assertMetaContract(orchestratorRules(), /^BW-K8S-[23]\d\d$/, (a) => /^CIS-K8S-\d+\.\d+(\.\d+)?$/.test(a));
    assert.equal(orchestratorPack.id, 'k8s-orchestrator');
    assert.equal(new Set(orchestratorRules().map((r) => r.id)).size, ORCHESTRATOR_RULES.length);
  });
});

describe('control-plane and kubelet rules', () => {
  const insecureFindings = checkControlPlane(insecure, 'insecure-node');
  const hardenedFindings = checkControlPlane(hardened, 'hardened-node');

  it('the hardened kubeadm node passes every rule', () => {
    assert.deepEqual(hardenedFindings.map((f) => `${f.id} ${f.description}`), []);
  });

  it('the insecure node fails every rule (audit retention needs an audit log, checked below)', () => {
    const expected = CONTROL_PLANE_RULES.map((r) => r.meta.id).filter((id) => id !== 'BW-K8S-309');
    assert.deepEqual(ids(insecureFindings), expected.sort());
  });

  it('findings point to the manifest file and the flag line, with the layer and aliases', () => {
    const [f] = of(insecureFindings, 'BW-K8S-306');
    assert.deepEqual(f!.location, { path: APISERVER, line: 23, resource: 'kube-apiserver#--insecure-port' });
    assert.equal(f!.stackLayer, 'orchestrator');
    assert.equal(f!.target, 'insecure-node');
    const [kubelet] = of(insecureFindings, 'BW-K8S-323');
    assert.deepEqual(kubelet!.location, { path: KUBELET_CONFIG, line: 14, resource: 'kubelet#readOnlyPort' });
    assert.deepEqual(of(insecureFindings, 'BW-K8S-301')[0]!.aliases, ['CIS-K8S-1.2.1']);
    const pkd = of(insecureFindings, 'BW-K8S-324')[0]!;
    assert.equal(pkd.location.path, '/etc/systemd/system/kubelet.service.d/20-extra.conf');
  });

  it('an unset flag is judged by its default and the message says so', () => {
    const byId = (id: string) => of(insecureFindings, id).map((f) => f.description);
    assert.deepEqual(byId('BW-K8S-301'), ['kube-apiserver: --anonymous-auth is not set and defaults to true; unauthenticated requests are served as system:anonymous']);
    assert.ok(byId('BW-K8S-307').includes('kube-scheduler: --profiling is not set and defaults to true'));
    assert.ok(byId('BW-K8S-307').includes('kube-controller-manager: --profiling=true'));
    assert.deepEqual(byId('BW-K8S-314').sort()[0], 'etcd: --peer-cert-file is not set');
  });

  it('apiserver defaults: no authorization mode means AlwaysAllow, no admission flag means no NodeRestriction', async () => {
    const fs = await findingsFor(apiserverWith('--anonymous-auth=false'));
    assert.match(of(fs, 'BW-K8S-302')[0]!.description ?? '', /--authorization-mode is not set and defaults to AlwaysAllow/);
    assert.equal(of(fs, 'BW-K8S-303').length, 2);
    assert.match(of(fs, 'BW-K8S-305')[0]!.description ?? '', /not enabled by default/);
    assert.equal(of(fs, 'BW-K8S-301').length, 0);
    assert.equal(of(fs, 'BW-K8S-306').length, 0, 'an unset insecure port is not flagged');
  });

  it('"--flag value" form and partial settings', async () => {
    const fs = await findingsFor(apiserverWith('--authorization-mode', 'RBAC', '--insecure-port', '0', '--enable-admission-plugins', 'NodeRestriction', '--disable-admission-plugins=NodeRestriction'));
    assert.deepEqual(of(fs, 'BW-K8S-303').map((f) => f.description), ['kube-apiserver: --authorization-mode=RBAC does not include Node']);
    assert.equal(of(fs, 'BW-K8S-302').length, 0);
    assert.equal(of(fs, 'BW-K8S-306').length, 0);
    assert.match(of(fs, 'BW-K8S-305')[0]!.description ?? '', /--disable-admission-plugins turns NodeRestriction off/);
  });

  it('audit log retention is judged only when audit logging is on', async () => {
    const fs = await findingsFor(apiserverWith('--audit-log-path=/var/log/audit.log', '--audit-log-maxage=7', '--audit-log-maxbackup=10'));
    assert.deepEqual(of(fs, 'BW-K8S-309').map((f) => f.description).sort(), [
      'kube-apiserver: --audit-log-maxage=7 is below 30 days',
      'kube-apiserver: --audit-log-maxsize is not set (recommended 100 MB or more)',
    ]);
    assert.equal(of(fs, 'BW-K8S-308').length, 0);
  });

  it('kubelet config defaults apply when a KubeletConfiguration leaves a field out', async () => {
    const fs = await findingsFor({ [KUBELET_CONFIG]: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n' });
    // anonymous false, Webhook and readOnlyPort 0 are the KubeletConfiguration defaults; protectKernelDefaults defaults to false.
    assert.deepEqual(ids(fs), ['BW-K8S-324']);
    assert.match(fs[0]!.description ?? '', /protectKernelDefaults is not set, and the KubeletConfiguration default is false/);
  });

  it('without a config file the kubelet flag defaults apply (anonymous, AlwaysAllow, port 10255)', async () => {
    const fs = await findingsFor({ '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--client-ca-file=/etc/kubernetes/pki/ca.crt"\n' });
    assert.deepEqual(ids(fs), ['BW-K8S-320', 'BW-K8S-321', 'BW-K8S-323', 'BW-K8S-324']);
    assert.match(of(fs, 'BW-K8S-323')[0]!.description ?? '', /no KubeletConfiguration file and --read-only-port is not set, so the flag default 10255 applies/);
  });

  it('a kubelet flag overrides the config file', async () => {
    const fs = await findingsFor({ '/etc/systemd/system/kubelet.service.d/30-port.conf': 'Environment="KUBELET_EXTRA_ARGS=--read-only-port 10255"\n' }, 'hardened');
    assert.deepEqual(of(fs, 'BW-K8S-323').map((f) => f.location), [{ path: '/etc/systemd/system/kubelet.service.d/30-port.conf', line: 1, resource: 'kubelet#--read-only-port' }]);
  });

  it('a missing or malformed file skips its checks and leaves the rest', async () => {
    const empty: ControlPlaneInput = { root: '/', components: new Map(), notes: [], warnings: [] };
    assert.deepEqual(checkControlPlane(empty, 't'), []);
    const fs = await findingsFor({ [APISERVER]: 'kind: Pod\nspec: [unclosed\n' }, 'insecure');
    assert.equal(fs.some((f) => f.location.path === APISERVER), false);
    assert.ok(fs.some((f) => f.location.path === '/etc/kubernetes/manifests/etcd.yaml'));
  });
});

describe('Kubernetes version rules', () => {
  const data: K8sEolData = parseK8sEolData(readFileSync(new URL('../../../data/k8s/kubernetes-eol.json', import.meta.url), 'utf8'), 'kubernetes-eol.json');
  const now = new Date('2026-11-29T12:00:00Z');
  const check = (version: string, extra: { now?: Date; warnDays?: number } = {}) => checkKubernetesVersion({ version, now: extra.now ?? now, data, ...(extra.warnDays !== undefined ? { warnDays: extra.warnDays } : {}) }, 'cluster');

  it('past end of life (HIGH) at kubernetes/version', () => {
    const { findings, warnings } = check('v1.29.3');
    assert.deepEqual(warnings, []);
    assert.deepEqual(ids(findings), ['BW-K8S-201', 'BW-K8S-203']);
    const eol = of(findings, 'BW-K8S-201')[0]!;
    assert.equal(eol.severity, 'HIGH');
    assert.deepEqual(eol.location, { resource: 'kubernetes/version' });
    assert.match(eol.description ?? '', /release 1\.29 reached its end of life on 2025-02-28/);
  });

  it('near end of life within the window (default 90 days), not outside it', () => {
    const near = check('1.35.10', { now: new Date('2026-12-15T00:00:00Z') });
    assert.deepEqual(ids(near.findings), ['BW-K8S-202']);
    assert.match(near.findings[0]!.description ?? '', /reaches its end of life on 2027-02-28, in 75 days \(warning window 90 days\)/);
    assert.deepEqual(ids(check('1.35.10', { now: new Date('2026-12-15T00:00:00Z'), warnDays: 30 }).findings), []);
    assert.deepEqual(ids(check('1.35.10', { now: new Date('2026-11-01T00:00:00Z') }).findings), []);
  });

  it('behind the latest patch names the latest', () => {
    const { findings } = check('v1.36.2-eks-1234');
    assert.deepEqual(ids(findings), ['BW-K8S-203']);
    assert.match(findings[0]!.description ?? '', /Kubernetes 1\.36\.2 \(--k8s-version\) is behind 1\.36\.6 \(released 2026-10-13\), the latest patch of 1\.36/);
    assert.equal(findings[0]!.severity, 'LOW');
  });

  it('a version older than every cycle in the data is past end of life; a newer unknown one is a warning', () => {
    assert.match(of(check('v1.19.16').findings, 'BW-K8S-201')[0]!.description ?? '', /older than every release in the end-of-life data; the oldest listed, 1\.25/);
    const future = check('v1.45.0');
    assert.deepEqual(future.findings, []);
    assert.match(future.warnings[0]!, /^Kubernetes 1\.45\.0 \(--k8s-version\) is not in the end-of-life data kubernetes-eol\.json; refresh it/);
    assert.match(check('latest').warnings[0]!, /^--k8s-version "latest" is not a Kubernetes version/);
  });

  it('eol given as a boolean, as endoflife.date may send it', () => {
    const d = parseK8sEolData(JSON.stringify([{ cycle: '1.30', releaseDate: '2024-04-17', eol: true, latest: '1.30.14' }, { cycle: '1.31', releaseDate: '2024-08-13', eol: false, latest: '1.31.1' }]), 'b.json');
    assert.deepEqual(ids(checkKubernetesVersion({ version: '1.30.14', now, data: d }, 't').findings), ['BW-K8S-201']);
    assert.deepEqual(ids(checkKubernetesVersion({ version: '1.31.1', now, data: d }, 't').findings), []);
  });

  it('reads the cluster version from the control-plane Node of a snapshot and reports kubelet skew', () => {
    const { objects } = loadManifests('nodes.yaml', readFileSync(new URL('../../fixtures/k8s/orchestrator/nodes.yaml', import.meta.url), 'utf8'));
    const { findings, warnings } = checkKubernetesVersion({ nodes: objects, now, data }, 'snapshot');
    assert.deepEqual(warnings, []);
    const eol = of(findings, 'BW-K8S-201')[0]!;
    assert.deepEqual(eol.location, { path: 'nodes.yaml', line: 20, resource: 'v1/Node/cp-1#status.nodeInfo.kubeletVersion' });
    assert.match(eol.description ?? '', /Kubernetes 1\.30\.2 \(node cp-1 \(kubelet\)\)/);
    assert.deepEqual(of(findings, 'BW-K8S-204').map((f) => f.description).sort(), [
      'node worker-new: kubelet 1.31.1 is newer than the control plane 1.30.2 (node cp-1 (kubelet)); kubelets must not be newer',
      'node worker-old: kubelet 1.26.15 is 4 minor releases behind the control plane 1.30.2 (node cp-1 (kubelet)); at most 3 are supported',
    ]);
  });

  it('an explicit version wins over the nodes; plain name/version pairs work too', () => {
    const { findings } = checkKubernetesVersion({ version: 'v1.36.6', nodes: [{ name: 'a', kubeletVersion: 'v1.33.1' }, { name: 'b', kubeletVersion: 'v1.32.0' }], now, data }, 't');
    assert.deepEqual(findings.map((f) => `${f.id} ${f.location.resource}`), ['BW-K8S-204 v1/Node/b#status.nodeInfo.kubeletVersion']);
  });

  it('a node without a usable kubelet version is a warning naming it', () => {
    const { objects } = loadManifests('n.yaml', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: odd\nstatus:\n  nodeInfo:\n    kubeletVersion: banana\n');
    const { findings, warnings } = checkKubernetesVersion({ nodes: objects, now, data }, 't');
    assert.deepEqual(findings, []);
    assert.deepEqual(warnings, ['n.yaml:7: Node odd: kubelet version "banana" is not a Kubernetes version']);
  });
});

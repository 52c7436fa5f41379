import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadManifests } from '../../src/k8s/load.js';
import { collectClusterObjects, dropControlledChildren, type CollectOptions } from '../../src/k8s/live/index.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { checkPodSecurity } from '../../src/modules/rules/k8s/pss/index.js';
import { checkRbac } from '../../src/modules/rules/k8s/rbac/index.js';
import { checkWorkloads } from '../../src/modules/rules/k8s/workload/index.js';
import { MAX_ANSWER_BYTES } from '../../src/k8s/live/request.js';
import { FIXTURE_DIR, RecordedKubeApi, TOKEN, writeKubeconfig, type TempKubeconfig } from '../support/recorded-kube-api.js';

const LIST_PATHS = [
  '/api/v1/nodes',
  '/api/v1/namespaces',
  '/api/v1/pods',
  '/api/v1/services',
  '/api/v1/serviceaccounts',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/apps/v1/replicasets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/networking.k8s.io/v1/networkpolicies',
  '/apis/rbac.authorization.k8s.io/v1/roles',
  '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
];

const ids = (objects: readonly K8sObject[]): string[] => objects.map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
const paths = (api: RecordedKubeApi): string[] => api.requests.map((r) => r.path);

describe('collectClusterObjects (recorded kube-apiserver v1.30)', () => {
  let api: RecordedKubeApi;
  let kubeconfig: TempKubeconfig;
  const collect = (options: CollectOptions = {}) => collectClusterObjects({ kubeconfig: kubeconfig.path, timeoutMs: 5000, ...options });

  before(async () => {
    api = await new RecordedKubeApi().start();
    kubeconfig = writeKubeconfig(api.url);
  });
  after(async () => {
    await api.stop();
    kubeconfig.cleanup();
  });
  beforeEach(() => api.reset());

  it('reads every kind, the version and the nodes, and reports controllers instead of the pods they made', async () => {
    const snap = await collect();
    assert.equal(snap.context, 'recorded');
    assert.equal(snap.server, api.url);
    assert.deepEqual(snap.warnings, []);
    assert.deepEqual(snap.version, { gitVersion: 'v1.30.2', major: '1', minor: '30' });
    assert.deepEqual(snap.nodes, [
      { name: 'control-plane-1', kubeletVersion: 'v1.30.2', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.18' },
      { name: 'worker-1', kubeletVersion: 'v1.30.2', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.18' },
    ]);
    assert.deepEqual(ids(snap.objects), [
      'Namespace ci', 'Namespace default', 'Namespace kube-system', 'Namespace shop',
      // Only the pods without a collected controller: a bare pod and a static (mirror) pod owned by its Node.
      'Pod ci/debug-shell', 'Pod kube-system/etcd-control-plane-1',
      'Service default/kubernetes', 'Service shop/web', 'Service shop/web-public',
      'ServiceAccount ci/default', 'ServiceAccount default/default', 'ServiceAccount kube-system/default', 'ServiceAccount shop/default',
      'ServiceAccount ci/deployer', 'ServiceAccount kube-system/kube-proxy', 'ServiceAccount shop/web',
      'Deployment default/legacy-api', 'Deployment shop/web', 'StatefulSet shop/db', 'DaemonSet kube-system/kube-proxy',
      'CronJob ci/nightly-report', 'NetworkPolicy shop/default-deny',
      'Role shop/web-config-reader', 'RoleBinding shop/web-config-reader',
      'ClusterRole cluster-admin', 'ClusterRole view', 'ClusterRoleBinding ci-deployer-admin', 'ClusterRoleBinding cluster-admin',
    ]);
    const byKind = new Map(snap.objects.map((o) => [o.kind, o.apiVersion]));
    assert.equal(byKind.get('Deployment'), 'apps/v1');
    assert.equal(byKind.get('CronJob'), 'batch/v1');
    assert.equal(byKind.get('NetworkPolicy'), 'networking.k8s.io/v1');
    assert.equal(byKind.get('ClusterRoleBinding'), 'rbac.authorization.k8s.io/v1');
    assert.equal(byKind.has('Node'), false);
    for (const o of snap.objects) {
      assert.deepEqual(o.source, { kind: 'cluster', context: 'recorded' });
      assert.equal(o.value.kind, o.kind);
      assert.equal(o.value.apiVersion, o.apiVersion);
      assert.equal('managedFields' in (o.value.metadata as object), false, `${o.kind} ${o.name} keeps managedFields`);
    }
  });

  it('gives objects identical to what loadManifests reads from the same API answer saved as a file', async () => {
    const snap = await collect();
    const files = LIST_PATHS.filter((p) => p !== '/api/v1/nodes');
    const fromFiles = files.flatMap((p) => {
      const { objects, warnings } = loadManifests(p, readFileSync(join(FIXTURE_DIR, `${p}.json`), 'utf8'));
      assert.deepEqual(warnings, []);
      return objects;
    });
    let compared = 0;
    for (const live of snap.objects) {
      const file = fromFiles.find((f) => f.kind === live.kind && f.namespace === live.namespace && f.name === live.name);
      assert.ok(file, `${live.kind} ${live.name} not in the fixtures`);
      const { managedFields: _m, ...metadata } = file.value.metadata as Record<string, unknown>;
      assert.deepEqual(live.value, { ...file.value, metadata });
      assert.deepEqual([live.apiVersion, live.kind, live.namespace, live.name], [file.apiVersion, file.kind, file.namespace, file.name]);
      compared++;
    }
    assert.equal(compared, snap.objects.length);
    // The typed client would have turned creationTimestamp into a Date; the raw answer is kept.
    const web = snap.objects.find((o) => o.kind === 'Deployment' && o.name === 'web')!;
    assert.equal(typeof (web.value.metadata as { creationTimestamp: unknown }).creationTimestamp, 'string');
    assert.equal((web.value.spec as { strategy: { rollingUpdate: { maxSurge: unknown } } }).strategy.rollingUpdate.maxSurge, '25%');
  });

  it('sends only GET requests, each with the bearer token, to the list paths (and /version)', async () => {
    await collect();
    assert.ok(api.requests.length > 0);
    for (const r of api.requests) {
      assert.equal(r.method, 'GET', `${r.method} ${r.path}`);
      assert.equal(r.authorization, `Bearer ${TOKEN}`);
      assert.equal(r.query.watch, undefined);
    }
    assert.deepEqual([...new Set(paths(api))].sort(), ['/version', ...LIST_PATHS].sort());
  });

  it('follows limit/continue pagination to the end of every list', async () => {
    const whole = await collect();
    api.requests.length = 0;
    const paged = await collect({ pageSize: 2 });
    assert.deepEqual(ids(paged.objects), ids(whole.objects));
    const podRequests = api.requests.filter((r) => r.path === '/api/v1/pods');
    // 8 pods in pages of 2: four requests, the first without a continue token, the others with the previous answer's.
    assert.equal(podRequests.length, 4);
    assert.deepEqual(podRequests.map((r) => r.query.limit), ['2', '2', '2', '2']);
    assert.equal(podRequests[0]!.query.continue, undefined);
    assert.ok(podRequests.slice(1).every((r) => typeof r.query.continue === 'string' && r.query.continue !== ''));
    assert.equal(new Set(podRequests.map((r) => r.query.continue)).size, 4);
  });

  it('stops with an error when the server keeps answering the same continue token', async () => {
    const body = JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: '1', continue: 'c2FtZQ==' }, items: [] });
    api.override('/api/v1/services', { body });
    await assert.rejects(collect(), (e: Error) => {
      assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): listing Service loops: the server repeated continue token "c2FtZQ=="$/);
      return true;
    });
  });

  it('reads namespaced kinds only in the given namespaces, cluster-scoped kinds still', async () => {
    const snap = await collect({ namespaces: ['shop'] });
    assert.deepEqual(snap.warnings, []);
    for (const o of snap.objects) {
      if (o.namespace !== undefined) assert.equal(o.namespace, 'shop', `${o.kind} ${o.namespace}/${o.name}`);
    }
    assert.deepEqual(ids(snap.objects.filter((o) => o.kind === 'Namespace')), ['Namespace shop']);
    assert.ok(ids(snap.objects).includes('ClusterRoleBinding ci-deployer-admin'));
    assert.ok(ids(snap.objects).includes('Deployment shop/web'));
    const requested = new Set(paths(api));
    assert.ok(requested.has('/api/v1/namespaces/shop/pods'));
    assert.ok(requested.has('/apis/apps/v1/namespaces/shop/deployments'));
    assert.ok(requested.has('/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings'));
    assert.ok(requested.has('/api/v1/namespaces/shop'));
    assert.ok(requested.has('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'));
    assert.ok(!requested.has('/api/v1/pods') && !requested.has('/api/v1/namespaces') && !requested.has('/apis/apps/v1/deployments'));
  });

  it('warns about a namespace that does not exist and reads the others', async () => {
    const snap = await collect({ namespaces: ['ci', 'nope'] });
    assert.deepEqual(snap.warnings, ['cluster recorded: cannot read Namespace nope (404 Not Found: namespaces "nope" not found)']);
    assert.deepEqual(ids(snap.objects.filter((o) => o.kind === 'Namespace' || o.kind === 'Pod' || o.kind === 'CronJob')), ['Namespace ci', 'Pod ci/debug-shell', 'CronJob ci/nightly-report']);
  });

  it('turns a 403 on one kind into a warning and reads the rest', async () => {
    api.override('/apis/networking.k8s.io/v1/networkpolicies', { status: 403 });
    const snap = await collect();
    assert.deepEqual(snap.warnings, [
      'cluster recorded: cannot list NetworkPolicy (403 Forbidden: networkpolicies.networking.k8s.io is forbidden: User "system:serviceaccount:ci:bulwark-scanner" cannot list resource "networkpolicies" in API group "networking.k8s.io" at the cluster scope)',
    ]);
    assert.equal(snap.objects.some((o) => o.kind === 'NetworkPolicy'), false);
    assert.ok(ids(snap.objects).includes('ClusterRoleBinding cluster-admin'));
    assert.ok(paths(api).includes('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'));
  });

  it('keeps pods whose controller could not be read (ReplicaSets forbidden)', async () => {
    api.override('/apis/apps/v1/replicasets', { status: 403 });
    const snap = await collect();
    assert.equal(snap.warnings.length, 1);
    assert.match(snap.warnings[0]!, /^cluster recorded: cannot list ReplicaSet \(403 Forbidden: replicasets\.apps is forbidden: /);
    assert.deepEqual(ids(snap.objects.filter((o) => o.kind === 'Pod')), [
      'Pod ci/debug-shell',
      'Pod default/legacy-api-5b8f9c7d4f-t2v9k',
      'Pod kube-system/etcd-control-plane-1',
      'Pod shop/web-6d4cf56db6-abcde',
      'Pod shop/web-6d4cf56db6-fghij',
    ]);
  });

  it('warns about a list answer that is not JSON and reads the rest', async () => {
    api.override('/api/v1/services', { body: '<html><body>502 Bad Gateway</body></html>' });
    const snap = await collect();
    assert.deepEqual(snap.warnings, ['cluster recorded: cannot list Service (answer is not JSON)']);
    assert.ok(snap.objects.some((o) => o.kind === 'Deployment'));
  });

  it('fails with one line naming context and server on a 500', async () => {
    api.override('/api/v1/pods', { status: 500 });
    await assert.rejects(collect(), (e: Error) => {
      assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): GET \/api\/v1\/pods answered 500 Internal Server Error: Internal error occurred: etcdserver: request timed out$/);
      return true;
    });
  });

  it('fails with one line when /version is missing (not an API server), but only warns when it is forbidden', async () => {
    api.override('/version', { status: 404 });
    await assert.rejects(collect(), (e: Error) => {
      assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): GET \/version answered 404 Not Found: the server could not find the requested resource \(is this an API server\?\)$/);
      return true;
    });
    api.override('/version', { status: 403 });
    const snap = await collect();
    assert.equal(snap.version, undefined);
    assert.deepEqual(snap.warnings, ['cluster recorded: cannot read the server version (403 Forbidden: forbidden: User "system:serviceaccount:ci:bulwark-scanner" cannot get path "/version")']);
  });

  it('fails with one line when the server accepts but never answers', async () => {
    api.override('/apis/apps/v1/deployments', { stall: true });
    const started = Date.now();
    await assert.rejects(collect({ timeoutMs: 300 }), (e: Error) => {
      assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): GET \/apis\/apps\/v1\/deployments: no answer within 300 ms$/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  it('fails with one line, without reading the body, when an answer announces more than the size limit', async () => {
    api.override('/apis/apps/v1/deployments', { hugeBytes: MAX_ANSWER_BYTES + 1 });
    await assert.rejects(collect({ timeoutMs: 5000 }), (e: Error) => {
      assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): GET \/apis\/apps\/v1\/deployments: the answer is \d+ bytes, over the 256 MiB limit$/);
      return true;
    });
  });

  it('fails with one line when the credentials are rejected (401)', async () => {
    const bad = writeKubeconfig(api.url, { token: 'expired-token' });
    try {
      await assert.rejects(collectClusterObjects({ kubeconfig: bad.path, timeoutMs: 5000 }), (e: Error) => {
        assert.match(e.message, /^cluster recorded \(http:\/\/127\.0\.0\.1:\d+\): the server rejected the credentials \(401 Unauthorized: Unauthorized\)$/);
        return true;
      });
      assert.deepEqual(paths(api), ['/version']);
    } finally {
      bad.cleanup();
    }
  });

  it('fails with one line when the server cannot be reached', async () => {
    await assert.rejects(collect({ context: 'other' }), (e: Error) => {
      assert.match(e.message, /^cluster other \(http:\/\/127\.0\.0\.1:1\): cannot connect \(ECONNREFUSED\): .*ECONNREFUSED 127\.0\.0\.1:1$/);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });

  it('fails with one line on a TLS error (https to a server that does not speak TLS)', async () => {
    const tls = writeKubeconfig(api.url, { otherServer: api.url.replace('http:', 'https:') });
    try {
      await assert.rejects(collectClusterObjects({ kubeconfig: tls.path, context: 'other', timeoutMs: 5000 }), (e: Error) => {
        assert.match(e.message, /^cluster other \(https:\/\/127\.0\.0\.1:\d+\): TLS error \(EPROTO\): /);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
    } finally {
      tls.cleanup();
    }
  });
});

describe('kubeconfig problems', () => {
  it('names the file when it does not exist', async () => {
    await assert.rejects(collectClusterObjects({ kubeconfig: '/nonexistent/kubeconfig' }), {
      message: 'kubeconfig /nonexistent/kubeconfig: cannot read it (file does not exist)',
    });
  });

  it('names the file when it is not YAML', async () => {
    const kc = writeKubeconfig('http://127.0.0.1:1');
    try {
      writeFileSync(kc.path, 'clusters: [\n  - name: a\n  server: {{ .Values.server }}\n');
      await assert.rejects(collectClusterObjects({ kubeconfig: kc.path }), (e: Error) => {
        assert.match(e.message, new RegExp(`^kubeconfig ${kc.path}: cannot read it \\(.+\\)$`));
        return true;
      });
    } finally {
      kc.cleanup();
    }
  });

  it('names the file and the known contexts for an unknown context', async () => {
    const kc = writeKubeconfig('http://127.0.0.1:1');
    try {
      await assert.rejects(collectClusterObjects({ kubeconfig: kc.path, context: 'prod' }), {
        message: `kubeconfig ${kc.path}: no context named "prod" (contexts: recorded, other)`,
      });
    } finally {
      kc.cleanup();
    }
  });

  it('refuses a plain-http cluster that is not marked insecure-skip-tls-verify, naming the file', async () => {
    const kc = writeKubeconfig('http://127.0.0.1:1');
    try {
      writeFileSync(kc.path, readFileSync(kc.path, 'utf8').replace(/ +insecure-skip-tls-verify: true\n/g, ''));
      await assert.rejects(collectClusterObjects({ kubeconfig: kc.path }), {
        message: `kubeconfig ${kc.path}: cluster "recorded" uses plain http (http://127.0.0.1:1); set insecure-skip-tls-verify: true on it to allow that`,
      });
    } finally {
      kc.cleanup();
    }
  });

  it('uses $KUBECONFIG when no file is given', async () => {
    const api = await new RecordedKubeApi().start();
    const kc = writeKubeconfig(api.url);
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kc.path;
    try {
      const snap = await collectClusterObjects({ timeoutMs: 5000 });
      assert.equal(snap.context, 'recorded');
      assert.ok(snap.objects.length > 0);
      process.env.KUBECONFIG = '/nonexistent/from-env';
      await assert.rejects(collectClusterObjects(), { message: 'kubeconfig /nonexistent/from-env: cannot read it (/nonexistent/from-env does not exist)' });
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
      await api.stop();
      kc.cleanup();
    }
  });
});

describe('rule packs on live objects', () => {
  let objects: K8sObject[];
  before(async () => {
    const api = await new RecordedKubeApi().start();
    const kc = writeKubeconfig(api.url);
    try {
      objects = (await collectClusterObjects({ kubeconfig: kc.path, timeoutMs: 5000 })).objects;
    } finally {
      await api.stop();
      kc.cleanup();
    }
  });

  it('PSS: privileged on the bare debug pod and the kube-proxy DaemonSet, nothing on the restricted web Deployment', () => {
    const findings = checkPodSecurity(objects, 'cluster recorded');
    const privileged = findings.filter((f) => f.id === 'BW-PSS-002').map((f) => f.location.resource);
    assert.deepEqual(privileged.sort(), [
      'apps/v1/DaemonSet/kube-system/kube-proxy#spec.template.spec.containers[0].securityContext.privileged',
      'v1/Pod/ci/debug-shell#spec.containers[0].securityContext.privileged',
    ]);
    assert.ok(findings.some((f) => f.id === 'BW-PSS-001' && (f.location.resource ?? '').startsWith('v1/Pod/ci/debug-shell#spec.hostPID')));
    assert.deepEqual(findings.filter((f) => (f.location.resource ?? '').startsWith('apps/v1/Deployment/shop/web')), []);
    for (const f of findings) {
      assert.equal(f.location.path, undefined);
      assert.equal(f.location.line, undefined);
      assert.equal(f.stackLayer, 'orchestrator');
    }
  });

  it('workloads: latest tags on the legacy Deployment and the debug pod, each reported once', () => {
    const findings = checkWorkloads(objects, 'cluster recorded');
    const latest = findings.filter((f) => f.id === 'BW-K8S-003').map((f) => (f.location.resource ?? '').split('#')[0]);
    assert.deepEqual(latest.sort(), ['apps/v1/Deployment/default/legacy-api', 'v1/Pod/ci/debug-shell']);
    assert.ok(!findings.some((f) => /ReplicaSet|Pod\/default\/legacy-api/.test(f.location.resource ?? '')));
  });

  it('RBAC: cluster-admin bound to the ci/deployer ServiceAccount, not the bootstrap system:masters binding', () => {
    const findings = checkRbac(objects, 'cluster recorded').filter((f) => f.id === 'BW-K8S-102');
    assert.deepEqual(findings.map((f) => [f.location.resource, f.description]), [
      [
        'rbac.authorization.k8s.io/v1/ClusterRoleBinding/ci-deployer-admin#roleRef.name',
        'ClusterRoleBinding ci-deployer-admin grants cluster-admin cluster-wide to ServiceAccount ci/deployer',
      ],
    ]);
  });
});

describe('dropControlledChildren', () => {
  const obj = (kind: string, name: string, uid: string, owner?: { kind: string; name: string; uid?: string }): K8sObject => ({
    apiVersion: 'v1',
    kind,
    name,
    namespace: 'ns',
    value: { metadata: { name, namespace: 'ns', uid, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...owner }] } : {}) } },
    source: { kind: 'cluster', context: 'c' },
  });

  it('drops a child of a collected controller, matching by uid when the reference has one', () => {
    const rs = obj('ReplicaSet', 'web-1', 'u-rs');
    const kept = dropControlledChildren([
      rs,
      obj('Pod', 'same-uid', 'p1', { kind: 'ReplicaSet', name: 'web-1', uid: 'u-rs' }),
      obj('Pod', 'stale-uid', 'p2', { kind: 'ReplicaSet', name: 'web-1', uid: 'u-old' }),
      obj('Pod', 'no-uid', 'p3', { kind: 'ReplicaSet', name: 'web-1' }),
      obj('Pod', 'other-owner', 'p4', { kind: 'ReplicaSet', name: 'gone' }),
      obj('Pod', 'node-owned', 'p5', { kind: 'Node', name: 'web-1' }),
    ]);
    assert.deepEqual(kept.map((o) => o.name), ['web-1', 'stale-uid', 'other-owner', 'node-owned']);
  });
});

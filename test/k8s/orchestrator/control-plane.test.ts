import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readControlPlane } from '../../../src/k8s/orchestrator/control-plane.js';
import { parseFlagLines, parseFlagTokens } from '../../../src/k8s/orchestrator/flags.js';
import { ROOT_FIXTURES, makeRoot } from './roots.js';

const FIXTURES = ROOT_FIXTURES;

describe('flag parsing', () => {
  it('reads --flag=value, --flag value and bare booleans; a later setting wins', () => {
    const tokens = ['kube-apiserver', '--a=1', '--b', 'two', '--bare', '--c=x=y', '--a=3', '--last'].map((text, i) => ({ text, line: i + 10 }));
    const flags = parseFlagTokens(tokens, '/m.yaml');
    assert.deepEqual(Object.fromEntries([...flags].map(([k, v]) => [k, [v.value, v.line]])), {
      a: ['3', 16],
      b: ['two', 12],
      bare: ['true', 14],
      c: ['x=y', 15],
      last: ['true', 17],
    });
  });
  it('reads flags from systemd drop-ins and kubeadm-flags.env', () => {
    const text = [
      '# comment --not-a-flag=1',
      '[Service]',
      'Environment="KUBELET_CONFIG_ARGS=--config=/etc/kubelet/custom.yaml"',
      'KUBELET_KUBEADM_ARGS="--read-only-port 10255 --anonymous-auth=false"',
      'ExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS',
    ].join('\n');
    const flags = parseFlagLines(text, '/x.conf');
    assert.deepEqual(Object.fromEntries([...flags].map(([k, v]) => [k, `${v.value}@${v.line}`])), {
      config: '/etc/kubelet/custom.yaml@3',
      'read-only-port': '10255@4',
      'anonymous-auth': 'false@4',
    });
  });
});

describe('readControlPlane', () => {
  it('reads the four static pods and the kubelet of a kubeadm node, with lines', async () => {
    const cp = await readControlPlane(join(FIXTURES, 'hardened'));
    assert.deepEqual([...cp.components.keys()].sort(), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
    assert.deepEqual(cp.warnings, []);
    assert.deepEqual(cp.notes, []);
    const api = cp.components.get('kube-apiserver')!;
    assert.equal(api.file, '/etc/kubernetes/manifests/kube-apiserver.yaml');
    assert.deepEqual(api.flags.get('anonymous-auth'), { value: 'false', file: api.file, line: 18 });
    assert.equal(cp.kubelet?.configFile, '/var/lib/kubelet/config.yaml');
    assert.equal(cp.kubelet?.lineOf(['readOnlyPort']), 39);
    assert.equal(cp.kubelet?.flags.get('config')?.file, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
  });

  it('joins command and args, and takes "--flag value" pairs from the list', async () => {
    const cp = await readControlPlane(join(FIXTURES, 'insecure'));
    const api = cp.components.get('kube-apiserver')!;
    assert.deepEqual(api.flags.get('authorization-mode'), { value: 'AlwaysAllow', file: api.file, line: 18 });
    assert.equal(api.flags.get('insecure-port')?.value, '8080');
    assert.equal(cp.components.get('kube-scheduler')!.flags.get('leader-elect')?.value, 'true');
  });

  it('a node without control-plane manifests or kubelet files gives notes, not warnings', async () => {
    const cp = await readControlPlane(makeRoot({ '/etc/hostname': 'worker\n' }));
    assert.equal(cp.components.size, 0);
    assert.equal(cp.kubelet, undefined);
    assert.deepEqual(cp.warnings, []);
    assert.equal(cp.notes.length, 5);
    assert.match(cp.notes[0]!, /^\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml: not present; kube-apiserver checks skipped$/);
  });

  it('malformed YAML is a warning naming the file and line; the other files are still read', async () => {
    const root = makeRoot({ '/etc/kubernetes/manifests/kube-scheduler.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-scheduler\n    name: x\n' }, 'hardened');
    const cp = await readControlPlane(root);
    assert.equal(cp.components.has('kube-scheduler'), false);
    assert.equal(cp.components.has('kube-apiserver'), true);
    assert.equal(cp.warnings.length, 1);
    assert.match(cp.warnings[0]!, /^\/etc\/kubernetes\/manifests\/kube-scheduler\.yaml:\d+: .+; kube-scheduler checks skipped$/);
  });

  it('a manifest that is not a Pod, or has no command, is a warning', async () => {
    const root = makeRoot({
      '/etc/kubernetes/manifests/etcd.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n',
      '/etc/kubernetes/manifests/kube-scheduler.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-scheduler\n    image: x\n',
      '/var/lib/kubelet/config.yaml': 'kind: Pod\n',
    }, 'hardened');
    const cp = await readControlPlane(root);
    assert.deepEqual(cp.warnings, [
      '/etc/kubernetes/manifests/kube-scheduler.yaml:5: container has no command or args; kube-scheduler checks skipped',
      '/etc/kubernetes/manifests/etcd.yaml:1: not a static Pod manifest (kind Pod with spec.containers); etcd checks skipped',
      '/var/lib/kubelet/config.yaml:1: not a KubeletConfiguration; kubelet config file checks skipped',
    ]);
  });

  it('refuses a symlink that leaves the root, and follows one that stays inside', async () => {
    const outside = makeRoot({ '/kube-apiserver.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver, --anonymous-auth=true]\n' });
    const root = makeRoot({ '/srv/etcd.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [etcd, --client-cert-auth=true]\n' });
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    symlinkSync(join(outside, 'kube-apiserver.yaml'), join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'));
    symlinkSync('../../../srv/etcd.yaml', join(root, 'etc/kubernetes/manifests/etcd.yaml'));
    const cp = await readControlPlane(root);
    assert.equal(cp.components.has('kube-apiserver'), false);
    assert.ok(cp.warnings.some((w) => /^\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml: symlink resolves outside .+; refused$/.test(w)), cp.warnings.join('\n'));
    assert.equal(cp.components.get('etcd')?.flags.get('client-cert-auth')?.value, 'true');
  });

  it('follows the --config path of the kubelet drop-in', async () => {
    const root = makeRoot({
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': 'Environment="KUBELET_CONFIG_ARGS=--config=/etc/kubelet/custom.yaml"\n',
      '/etc/kubelet/custom.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n',
    });
    const cp = await readControlPlane(root);
    assert.equal(cp.kubelet?.configFile, '/etc/kubelet/custom.yaml');
    assert.equal(cp.kubelet?.config.readOnlyPort, 10255);
  });
});

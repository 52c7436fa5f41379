import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadManifests } from '../../src/k8s/load.js';
import type { K8sObject } from '../../src/k8s/types.js';

function load(name: string, options?: Parameters<typeof loadManifests>[2]) {
  return loadManifests(name, readFileSync(new URL(`../fixtures/k8s/load/${name}`, import.meta.url), 'utf8'), options);
}
function lineOf(o: K8sObject, path: (string | number)[]): number | undefined {
  assert.equal(o.source.kind, 'file');
  return o.source.kind === 'file' ? o.source.lineOf(path) : undefined;
}
function startLine(o: K8sObject): number {
  return o.source.kind === 'file' ? o.source.line : -1;
}

describe('loadManifests', () => {
  it('reads multi-document YAML with per-document lines, skipping empty documents and warning on kindless ones', () => {
    const { objects, warnings } = load('multi.yaml');
    assert.deepEqual(objects.map((o) => [o.kind, o.namespace, o.name, startLine(o)]), [
      ['Namespace', undefined, 'shop', 2],
      ['Deployment', 'shop', 'web', 7],
      ['ConfigMap', 'shop', 'settings', 28],
    ]);
    assert.deepEqual(warnings, ['multi.yaml:25: document has no apiVersion/kind; skipped']);
    const web = objects[1]!;
    assert.equal(lineOf(web, ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']), 20);
    assert.equal(lineOf(web, ['spec', 'template', 'spec', 'containers', 0]), 17);
    assert.equal(lineOf(web, ['spec', 'replicas']), 13);
    // A field that does not exist falls back to its nearest existing parent.
    assert.equal(lineOf(web, ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']), 19);
    assert.equal(lineOf(web, ['spec', 'template', 'spec', 'hostNetwork']), 15);
    assert.equal(lineOf(web, ['status']), 7);
    assert.deepEqual((web.value.spec as { replicas: number }).replicas, 2);
  });

  it('reads helm template output (--- separators, # Source: comments)', () => {
    const { objects, warnings } = load('helm-template.yaml');
    assert.deepEqual(warnings, []);
    assert.deepEqual(objects.map((o) => [o.kind, o.name, startLine(o)]), [
      ['ServiceAccount', 'release-shop', 3],
      ['Service', 'release-shop', 11],
      ['Deployment', 'release-shop', 22],
    ]);
    assert.equal(lineOf(objects[2]!, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort']), 36);
  });

  it('expands a kubectl get -A -o yaml List, each item with its own position', () => {
    const { objects, warnings } = load('snapshot-list.yaml');
    assert.deepEqual(warnings, []);
    assert.deepEqual(objects.map((o) => [o.apiVersion, o.kind, o.namespace, o.name, startLine(o)]), [
      ['v1', 'Pod', 'prod', 'api-7d9f', 3],
      ['apps/v1', 'DaemonSet', 'kube-system', 'agent', 13],
    ]);
    assert.equal(lineOf(objects[0]!, ['spec', 'hostNetwork']), 9);
    assert.equal(lineOf(objects[1]!, ['spec', 'template', 'spec', 'containers', 0, 'name']), 23);
  });

  it('expands a typed list (PodList) and fills in the items\' kind and apiVersion', () => {
    const { objects } = load('pod-list.yaml');
    assert.deepEqual(objects.map((o) => [o.apiVersion, o.kind, o.namespace, o.name, startLine(o)]), [['v1', 'Pod', 'batch', 'worker-0', 4]]);
  });

  it('warns on malformed YAML with file and line and still reads the other documents', () => {
    const { objects, warnings } = load('malformed.yaml');
    assert.deepEqual(objects.map((o) => o.name), ['before', 'after']);
    assert.equal(warnings.length, 1);
    const m = /^malformed\.yaml:(\d+): .+document skipped$/.exec(warnings[0]!);
    assert.ok(m, warnings[0]);
    assert.ok(Number(m[1]) >= 10 && Number(m[1]) <= 11, warnings[0]);
    assert.equal(startLine(objects[1]!), 14);
  });

  it('reads JSON with field lines', () => {
    const { objects, warnings } = load('pod.json');
    assert.deepEqual(warnings, []);
    assert.equal(objects.length, 1);
    assert.deepEqual([objects[0]!.kind, objects[0]!.namespace, objects[0]!.name], ['Pod', 'dev', 'json-pod']);
    assert.equal(lineOf(objects[0]!, ['spec', 'hostPID']), 9);
    assert.equal(lineOf(objects[0]!, ['spec', 'containers', 0, 'image']), 13);
  });

  it('refuses a YAML alias bomb, naming the file, and reads the rest', () => {
    const { objects, warnings } = load('alias-bomb.yaml');
    assert.deepEqual(objects.map((o) => o.name), ['fine']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^alias-bomb\.yaml:1: .*alias/i);
  });

  it('refuses a file over the size limit, naming the file', () => {
    const { objects, warnings } = load('multi.yaml', { maxBytes: 100 });
    assert.deepEqual(objects, []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^multi\.yaml: .*100-byte/);
  });

  it('reads YAML 1.1 booleans as Kubernetes does and returns nothing for an empty file', () => {
    const r = loadManifests('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n');
    assert.equal((r.objects[0]!.value.spec as { hostNetwork: unknown }).hostNetwork, true);
    assert.deepEqual(loadManifests('empty.yaml', ''), { objects: [], warnings: [] });
    assert.deepEqual(loadManifests('c.yaml', '# nothing\n---\n'), { objects: [], warnings: [] });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadManifests } from '../../src/k8s/load.js';
import { podTemplates } from '../../src/k8s/pod-templates.js';

const text = `
apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {a: b}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec: {template: {spec: {containers: []}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec: {template: {spec: {containers: []}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec: {template: {spec: {containers: []}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {template: {spec: {containers: []}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {template: {spec: {containers: []}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: []}}}}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: no-template}
spec: {replicas: 1}
`;

describe('podTemplates', () => {
  it('finds the PodSpec of every workload kind with its path', () => {
    const refs = podTemplates(loadManifests('w.yaml', text).objects);
    assert.deepEqual(refs.map((r) => [r.object.kind, r.specPath.join('.')]), [
      ['Pod', 'spec'],
      ['Deployment', 'spec.template.spec'],
      ['StatefulSet', 'spec.template.spec'],
      ['DaemonSet', 'spec.template.spec'],
      ['ReplicaSet', 'spec.template.spec'],
      ['ReplicationController', 'spec.template.spec'],
      ['Job', 'spec.template.spec'],
      ['CronJob', 'spec.jobTemplate.spec.template.spec'],
    ]);
    assert.deepEqual(refs[0]!.metadata, { name: 'p', annotations: { a: 'b' } });
    assert.deepEqual(refs[1]!.metadata, { labels: { app: 'd' } });
    assert.deepEqual(refs[1]!.spec, { containers: [{ name: 'c', image: 'i' }] });
  });
});

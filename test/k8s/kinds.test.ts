import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unknownKindReason, unknownKindWarnings } from '../../src/k8s/kinds.js';
import { loadManifests } from '../../src/k8s/load.js';

const TEXT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web }
---
apiVersion: apps/v1
kind: Deploymnet
metadata: { name: typo }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: certificates.cert-manager.io }
`;

describe('unknown kinds and custom resources', () => {
  const { objects } = loadManifests('mixed.yaml', TEXT);

  it('warns once per custom resource or misspelt kind, with the file and line of the object', () => {
    assert.deepEqual(unknownKindWarnings(objects), [
      'mixed.yaml:1: cert-manager.io/v1 Certificate web: custom resource (cert-manager.io) that no rule knows; not checked',
      'mixed.yaml:5: apps/v1 Deploymnet typo: Deploymnet is not a kind of apps/v1; not checked',
    ]);
  });

  it('knows the built-in kinds, including ones no rule reads', () => {
    for (const o of objects.filter((x) => ['ConfigMap', 'Ingress', 'CustomResourceDefinition'].includes(x.kind))) assert.equal(unknownKindReason(o), undefined, o.kind);
  });
});

/**
 * Kubernetes objects for the k8s rule tests, read the way `bulwark k8s` reads manifests (src/k8s/load.ts:
 * multi-document YAML with source positions). A fixture that does not load cleanly fails the test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../src/k8s/load.js';
import type { K8sObject } from '../../src/k8s/types.js';

export function objectsFromYaml(path: string, text: string): K8sObject[] {
  const { objects, warnings } = loadManifests(path, text);
  if (warnings.length > 0) throw new Error(`${path}: ${warnings.join('; ')}`);
  return objects;
}

/** Objects of test/fixtures/k8s/<rel>; their source path is the relative fixture path, so findings are stable. */
export function fixtureObjects(rel: string): K8sObject[] {
  const file = fileURLToPath(new URL(`../fixtures/k8s/${rel}`, import.meta.url));
  return objectsFromYaml(rel, readFileSync(file, 'utf8'));
}

/** The alias forms a k8s rule may carry: Checkov, Kubescape controls, CIS Kubernetes Benchmark sections. */
export const K8S_ALIAS = /^(CKV2?_K8S_\d+|C-\d{4}|CIS-K8S-\d+(\.\d+)+)$/;

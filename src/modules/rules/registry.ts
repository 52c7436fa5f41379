/** Every rule pack's metadata in one place: `bulwark rules`, the docs and SARIF rule descriptors read it here. */
import { secretsPack } from '../secrets/index.js';
import { dockerfilePack } from './dockerfile/index.js';
import { imagePack } from './image/index.js';
import { hostPack } from './host/index.js';
import { pssPack } from './k8s/pss/index.js';
import { workloadPack } from './k8s/workload/index.js';
import { rbacPack } from './k8s/rbac/index.js';
import { orchestratorPack } from './k8s/orchestrator/index.js';
import { binariesPack } from '../../k8s/verify-binaries/rules.js';
import { cloudPack } from './cloud/index.js';
import { registryAuditPack } from './registry-audit/index.js';
import type { RuleMeta, RulePack } from './types.js';

/** The built-in packs, in the order `bulwark rules` lists them. */
export function allRulePacks(): RulePack[] {
  return [dockerfilePack, imagePack, secretsPack, hostPack, pssPack, workloadPack, rbacPack, orchestratorPack, binariesPack, cloudPack, registryAuditPack];
}

let byId: Map<string, RuleMeta> | undefined;

/** The metadata of a rule of any built-in pack; undefined for an id no pack defines (e.g. an advisory id). */
export function ruleMeta(id: string): RuleMeta | undefined {
  if (byId === undefined) {
    byId = new Map();
    for (const pack of allRulePacks()) for (const meta of pack.rules()) if (!byId.has(meta.id)) byId.set(meta.id, meta);
  }
  return byId.get(id);
}

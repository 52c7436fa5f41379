import { compareFindings, type Finding } from '../../../core/finding.js';
import type { RegistryAuditFacts } from '../../../registry/audit/facts.js';
import type { RuleMeta, RulePack } from '../types.js';
import { makeRegistryAuditContext, type RegistryAuditRule } from './rule.js';
import { rule as anonymousApi } from './rules/anonymous-api.js';
import { rule as anonymousCatalog } from './rules/anonymous-catalog.js';
import { rule as anonymousPull } from './rules/anonymous-pull.js';
import { rule as plainHttp } from './rules/plain-http.js';
import { rule as tlsInvalid } from './rules/tls-invalid.js';
import { rule as serverEol } from './rules/server-eol.js';
import { rule as schema1 } from './rules/schema1.js';
import { rule as nonImageArtifact } from './rules/non-image-artifact.js';
import { rule as helmChart } from './rules/helm-chart.js';
import { rule as unsigned } from './rules/unsigned.js';
import { rule as stale } from './rules/stale.js';
import { rule as untagged } from './rules/untagged.js';
import { rule as osEol } from './rules/os-eol.js';

export type { RegistryAuditContext, RegistryAuditRule } from './rule.js';

/** Every registry-audit rule, in id order. */
export const REGISTRY_AUDIT_RULES: readonly RegistryAuditRule[] = [
  anonymousApi,
  anonymousCatalog,
  anonymousPull,
  plainHttp,
  tlsInvalid,
  serverEol,
  schema1,
  nonImageArtifact,
  helmChart,
  unsigned,
  stale,
  untagged,
  osEol,
];

export function registryAuditRules(): RuleMeta[] {
  return REGISTRY_AUDIT_RULES.map((r) => r.meta);
}

export const registryAuditPack: RulePack = { id: 'registry-audit', rules: registryAuditRules };

/** Runs every rule over the facts; findings in report order, deterministic across runs. */
export function checkRegistryAudit(facts: RegistryAuditFacts, target: string, now: Date): Finding[] {
  const ctx = makeRegistryAuditContext(facts, target, now);
  return REGISTRY_AUDIT_RULES.flatMap((rule) => rule.check(facts, ctx)).sort(compareFindings);
}

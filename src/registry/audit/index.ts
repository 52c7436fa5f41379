import type { Finding } from '../../core/finding.js';
import { checkRegistryAudit } from '../../modules/rules/registry-audit/index.js';
import type { RegistryAuditFacts } from './facts.js';

export * from './classify.js';
export * from './facts.js';
export { ARTIFACT_MEDIA } from './media-types.js';
export { identifyServer, loadServerData, parseServerData, serverVerdicts, SHIPPED_SERVERS_FILE, type ServerData, type ServerVerdict } from './server-identity.js';
export { repositoryView, type RepositoryView } from './view.js';

/**
 * The judgement of `bulwark registry audit URL`: every registry-audit rule (BW-REG-001..013) over facts the HTTP
 * layer gathered. Pure; `now` decides staleness and certificate expiry.
 */
export function auditRegistry(facts: RegistryAuditFacts, target: string, now: Date = new Date()): Finding[] {
  return checkRegistryAudit(facts, target, now);
}
export { gatherAuditFacts, type GatherAuditOptions, type GatheredAudit } from './gather.js';
export { probeTls, type TlsProbeOptions } from './tls-probe.js';

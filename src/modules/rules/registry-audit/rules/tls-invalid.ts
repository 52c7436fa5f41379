import { DISTRIBUTION_DOCS, NIST_800_190, defineMeta, type RegistryAuditRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-REG-005',
  title: 'Registry TLS certificate is invalid or expired',
  severity: 'HIGH',
  rationale:
    'A certificate that does not verify (expired, self-signed, wrong host name, unknown CA) trains clients to skip verification, which leaves pulls and logins open to interception.',
  remediation:
    'Install a certificate for the registry\'s host name from a CA the clients trust, renew it before it expires (automate renewal), and remove any insecure-registries exceptions from the clients.',
  references: [`${DISTRIBUTION_DOCS}about/deploying/#get-a-certificate`, 'https://docs.docker.com/engine/security/certificates/', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    const tls = facts.transport.tls;
    if (facts.transport.scheme !== 'https' || !tls) return [];
    const expired = tls.expiresAt !== undefined && Date.parse(tls.expiresAt) < ctx.now.getTime();
    if (tls.valid && !expired) return [];
    const why = [tls.error, expired ? `expired on ${tls.expiresAt}` : undefined].filter(Boolean).join('; ') || 'verification failed';
    return [ctx.finding(meta, facts.url, `the TLS certificate of ${facts.url} does not verify: ${why}`)];
  },
};

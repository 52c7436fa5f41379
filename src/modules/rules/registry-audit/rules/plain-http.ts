import { DISTRIBUTION_DOCS, NIST_800_190, defineMeta, type RegistryAuditRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-REG-004',
  title: 'Registry is served over plain HTTP',
  severity: 'HIGH',
  rationale:
    'Without TLS, credentials and bearer tokens cross the network in the clear and anyone on the path can read or swap manifests and layers; clients must also be configured as "insecure-registries" to talk to it.',
  remediation:
    'Serve the registry over HTTPS with a certificate from a CA the clients trust (the registry\'s http.tls settings or a TLS-terminating proxy); plain HTTP is only acceptable on loopback.',
  references: [`${DISTRIBUTION_DOCS}about/deploying/#get-a-certificate`, 'https://docs.docker.com/engine/security/certificates/', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    if (facts.transport.scheme !== 'http' || facts.loopback) return [];
    return [ctx.finding(meta, facts.url, `${facts.url} is reached over plain HTTP on a non-loopback host`)];
  },
};

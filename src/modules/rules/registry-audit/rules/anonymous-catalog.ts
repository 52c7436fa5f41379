import { DISTRIBUTION_SPEC, NIST_800_190, defineMeta, publicNote, type RegistryAuditRule } from '../rule.js';

/** Severity MEDIUM; LOW when the registry is declared public (--public). */
export const meta = defineMeta({
  id: 'BW-REG-002',
  title: 'Anonymous clients can list the registry catalog',
  severity: 'MEDIUM',
  rationale:
    'The catalog names every repository: an anonymous listing hands out a map of internal projects and products, and of which images to try to pull.',
  remediation:
    'Require authentication for /v2/_catalog (token auth scopes registry:catalog:*), or disable the catalog endpoint; pass --public if listing is intended.',
  references: [`${DISTRIBUTION_SPEC}#listing-repositories`, 'https://distribution.github.io/distribution/spec/auth/scope/', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    if (facts.catalogAnonymous !== true) return [];
    const msg = `GET ${facts.url}/v2/_catalog listed ${facts.repositories.length} repositories without credentials${publicNote(facts)}`;
    return [ctx.finding(meta, '/v2/_catalog', msg, [], facts.options.public ? 'LOW' : undefined)];
  },
};

import { DISTRIBUTION_DOCS, DISTRIBUTION_SPEC, NIST_800_190, defineMeta, publicNote, type RegistryAuditRule } from '../rule.js';

/** Severity HIGH; LOW when the registry is declared public (--public): an open API is then the point. */
export const meta = defineMeta({
  id: 'BW-REG-001',
  title: 'Registry API answers anonymous clients',
  severity: 'HIGH',
  rationale:
    'GET /v2/ answering 200 without credentials means the registry does not ask who is calling: unless it is meant to be public, anyone who can reach it can probe, and usually read, what it stores.',
  remediation:
    'Require authentication (htpasswd, token auth or the product\'s access control) and keep the registry off public networks; pass --public if the registry is meant to be open.',
  references: [`${DISTRIBUTION_DOCS}about/configuration/#auth`, `${DISTRIBUTION_SPEC}#determining-support`, NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    if (!facts.ping.anonymousOk) return [];
    const msg = `GET ${facts.url}/v2/ answered ${facts.ping.status} without credentials${publicNote(facts)}`;
    return [ctx.finding(meta, '/v2/', msg, [], facts.options.public ? 'LOW' : undefined)];
  },
};

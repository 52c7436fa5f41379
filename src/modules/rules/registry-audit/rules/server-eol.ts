import type { Finding } from '../../../../core/finding.js';
import { serverVerdicts } from '../../../../registry/audit/server-identity.js';
import { DISTRIBUTION_DOCS, defineMeta, type RegistryAuditRule } from '../rule.js';

/** Data: data/registry/servers.json (product, semver range, eol|flawed, note, references). */
export const meta = defineMeta({
  id: 'BW-REG-006',
  title: 'Registry server is end of life or has known flaws',
  severity: 'MEDIUM',
  rationale:
    'A registry release that is out of support, or that has published vulnerabilities, gets no fixes; the registry holds and serves every image the estate runs, so its flaws reach every deployment.',
  remediation: 'Upgrade the registry to a supported release that fixes the listed flaws, from the project\'s official distribution.',
  references: [DISTRIBUTION_DOCS, 'https://github.com/distribution/distribution/releases'],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    if (!facts.server) return [];
    const out: Finding[] = [];
    for (const v of serverVerdicts(facts.server)) {
      const what = `${v.name}${facts.server.version ? ` ${facts.server.version}` : ''} (from the ${facts.server.source})`;
      const msg = `${what} is ${v.status === 'eol' ? 'end of life' : 'known flawed'}: ${v.note}; see ${v.references.join(', ')}`;
      out.push(ctx.finding(meta, facts.url, msg, [v.product, v.range]));
    }
    return out;
  },
};

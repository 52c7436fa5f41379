import type { Finding } from '../../../../core/finding.js';
import { DISTRIBUTION_DOCS, NIST_800_190, defineMeta, publicNote, type RegistryAuditRule } from '../rule.js';

/** Severity HIGH; LOW when the registry is declared public (--public). One finding per repository sampled. */
export const meta = defineMeta({
  id: 'BW-REG-003',
  title: 'Anonymous clients can pull from a repository',
  severity: 'HIGH',
  rationale:
    'An image pulled without credentials exposes everything built into it (application code, configuration, sometimes secrets in layers) to anyone who can reach the registry.',
  remediation:
    'Require authentication for pulls (read access per repository through token auth or the product\'s permissions); keep only images meant for everyone in a public registry and pass --public for it.',
  references: [`${DISTRIBUTION_DOCS}about/configuration/#auth`, 'https://distribution.github.io/distribution/spec/auth/token/', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    const out: Finding[] = [];
    for (const repo of facts.repositories) {
      if (repo.anonymousPull !== true) continue;
      const msg = `repository ${repo.name}: a manifest was pulled without credentials${publicNote(facts)}`;
      out.push(ctx.finding(meta, repo.name, msg, [], facts.options.public ? 'LOW' : undefined));
    }
    return out;
  },
};

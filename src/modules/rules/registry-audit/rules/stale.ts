import type { Finding } from '../../../../core/finding.js';
import { attachmentFromTag } from '../../../../registry/audit/classify.js';
import { DAY_MS, NIST_800_190, defineMeta, type RegistryAuditRule } from '../rule.js';

/** Per tagged image or index (its newest child's `created`); the threshold is options.staleDays (default 90). */
export const meta = defineMeta({
  id: 'BW-REG-011',
  title: 'Image in the registry is stale',
  severity: 'LOW',
  rationale:
    'An image not rebuilt for months carries every vulnerability fixed in its base and packages since; stale tags also stay deployable long after they should have been retired.',
  remediation:
    'Rebuild images regularly on an updated base, and expire old ones with a retention policy (bulwark registry prune).',
  references: [NIST_800_190, 'https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often'],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(facts, ctx) {
    const out: Finding[] = [];
    const limit = ctx.now.getTime() - facts.options.staleDays * DAY_MS;
    for (const view of ctx.views) {
      const tagged = [...new Set(view.repo.tags.filter((t) => !attachmentFromTag(t.tag)).map((t) => t.digest))].sort();
      for (const digest of tagged) {
        const m = view.byDigest.get(digest);
        if (!m || (m.class.class !== 'image' && m.class.class !== 'index')) continue;
        const dates = [m.created, ...(m.children ?? []).map((c) => view.byDigest.get(c)?.created)]
          .map((d) => (d ? Date.parse(d) : NaN))
          .filter((t) => !Number.isNaN(t));
        if (!dates.length) continue;
        const newest = Math.max(...dates);
        if (newest >= limit) continue;
        const days = Math.floor((ctx.now.getTime() - newest) / DAY_MS);
        const where = view.resource(digest);
        const msg = `${where} (${digest}) was created ${new Date(newest).toISOString().slice(0, 10)}, ${days} days ago (threshold ${facts.options.staleDays} days)`;
        out.push(ctx.finding(meta, where, msg, [digest]));
      }
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { attachmentFromTag } from '../../../../registry/audit/classify.js';
import { NIST_800_190, defineMeta, type RegistryAuditRule } from '../rule.js';

/** Per tagged image or index; an index's signature covers its children. */
export const meta = defineMeta({
  id: 'BW-REG-010',
  title: 'Image in the registry has no signature',
  severity: 'MEDIUM',
  rationale:
    'Without a signature, a deployment cannot tell the image the pipeline built from one pushed by anyone else holding write access (or by an attacker who got it); admission policies that require signatures cannot be enforced.',
  remediation:
    'Sign images in the build pipeline (cosign sign or notation sign, attached through the referrers API or the sha256-<digest>.sig tag) and verify signatures at admission.',
  references: ['https://docs.sigstore.dev/cosign/signing/signing_with_containers/', 'https://notaryproject.dev/docs/', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(_facts, ctx) {
    const out: Finding[] = [];
    for (const view of ctx.views) {
      const tagged = [...new Set(view.repo.tags.filter((t) => !attachmentFromTag(t.tag)).map((t) => t.digest))].sort();
      for (const digest of tagged) {
        const m = view.byDigest.get(digest);
        if (!m || (m.class.class !== 'image' && m.class.class !== 'index')) continue;
        if (view.signed(digest)) continue;
        const where = view.resource(digest);
        out.push(ctx.finding(meta, where, `${where} (${digest}, tags ${view.tagsOf(digest).join(', ')}) has no signature: no referrer and no sha256-<hex>.sig tag`, [digest]));
      }
    }
    return out;
  },
};

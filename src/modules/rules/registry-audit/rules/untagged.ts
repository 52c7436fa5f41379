import type { Finding } from '../../../../core/finding.js';
import { childDigests, referredDigests } from '../artifacts.js';
import { DISTRIBUTION_DOCS, defineMeta, type RegistryAuditRule } from '../rule.js';

/** Manifests no tag reaches (directly or through an index) and that are not attached to another manifest. */
export const meta = defineMeta({
  id: 'BW-REG-012',
  title: 'Untagged manifest is left in the registry',
  severity: 'LOW',
  rationale:
    'Manifests left behind when tags move are still pullable by digest, are never rebuilt or scanned by tag-based processes, and keep their layers from garbage collection.',
  remediation:
    'Delete untagged manifests by digest with a retention policy (bulwark registry prune with tagStatus untagged), then run the registry\'s garbage collector.',
  references: [`${DISTRIBUTION_DOCS}about/garbage-collection/`, 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html'],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check(_facts, ctx) {
    const out: Finding[] = [];
    for (const view of ctx.views) {
      const referred = referredDigests(view);
      const children = childDigests(view);
      for (const m of view.repo.manifests) {
        if (view.reachable.has(m.digest) || m.class.attachedTo || referred.has(m.digest) || children.has(m.digest)) continue;
        const where = `${view.repo.name}@${m.digest}`;
        const kids = m.children?.length ? ` and its ${m.children.length} child manifests` : '';
        out.push(ctx.finding(meta, where, `${where} (${m.class.label})${kids} is not reachable from any tag`, [m.digest]));
      }
    }
    return out;
  },
};

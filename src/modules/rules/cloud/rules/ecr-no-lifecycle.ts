import type { Finding } from '../../../../core/finding.js';
import { ECR_DOCS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-021',
  title: 'ECR repository has no lifecycle policy',
  severity: 'LOW',
  rationale:
    'Without a lifecycle policy old images pile up forever: stale, vulnerable images stay pullable (and deployable by mistake) and storage costs grow.',
  remediation: 'Add a lifecycle policy (aws ecr put-lifecycle-policy) that expires untagged images and keeps a bounded number of tagged ones.',
  references: [`${ECR_DOCS}LifecyclePolicies.html`, `${PROWLER}ecr_repositories_lifecycle_policy_enabled`],
  aliases: ['ecr_repositories_lifecycle_policy_enabled'],
});

/**
 * Offline, "no lifecycle policy" means: no get-lifecycle-policy output for the repository among the
 * inputs (the CLI prints LifecyclePolicyNotFoundException, not a document, when there is none).
 */
export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    const withPolicy = new Set(resourcesOf(resources, 'ecr-lifecycle-policy').map((p) => p.repositoryName));
    for (const r of resourcesOf(resources, 'ecr-repository')) {
      if (withPolicy.has(r.repository.repositoryName)) continue;
      out.push(ctx.finding(meta, r, [], `repository ${r.name}: no get-lifecycle-policy document for it among the inputs`));
    }
    return out;
  },
};

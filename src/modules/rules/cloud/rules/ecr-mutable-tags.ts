import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, ECR_DOCS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-019',
  title: 'ECR repository allows tags to be overwritten',
  severity: 'MEDIUM',
  rationale:
    'With MUTABLE tags a push can silently replace what "app:1.4.2" points to: deployments, rollbacks and scans by tag no longer refer to the image that was reviewed.',
  remediation: 'Set imageTagMutability to IMMUTABLE (aws ecr put-image-tag-mutability) and deploy by digest.',
  references: [`${ECR_DOCS}image-tag-mutability.html`, `${PROWLER}ecr_repositories_tag_immutability`, CHECKOV_AWS],
  aliases: ['CKV_AWS_51', 'ecr_repositories_tag_immutability'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecr-repository')) {
      if (r.repository.imageTagMutability !== 'MUTABLE') continue;
      out.push(ctx.finding(meta, r, ['imageTagMutability'], `repository ${r.name} has imageTagMutability MUTABLE`));
    }
    return out;
  },
};

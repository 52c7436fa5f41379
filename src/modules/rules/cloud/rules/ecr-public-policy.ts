import type { Finding } from '../../../../core/finding.js';
import { isAllow, statementsOf } from '../iam.js';
import { CHECKOV_AWS, ECR_DOCS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-018',
  title: 'ECR repository policy allows any principal',
  severity: 'CRITICAL',
  rationale:
    'A repository policy statement that allows Principal "*" without a condition opens the repository to every AWS account: anyone can pull the images (and the secrets baked into them), and with push actions replace them.',
  remediation: 'Name the accounts or roles that need access in Principal, or add a Condition such as aws:PrincipalOrgID.',
  references: [`${ECR_DOCS}repository-policies.html`, `${PROWLER}ecr_repositories_not_publicly_accessible`, CHECKOV_AWS],
  aliases: ['CKV_AWS_32', 'ecr_repositories_not_publicly_accessible'],
});

/** Principal "*" or {"AWS": "*"} (string or in a list). */
export function isAnyPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as { AWS?: unknown }).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecr-repository-policy')) {
      for (const { statement: s, path } of statementsOf(r.document)) {
        if (!isAllow(s) || !isAnyPrincipal(s.Principal) || s.Condition !== undefined) continue;
        out.push(ctx.finding(meta, r, ['policyText'], `repository ${r.name} policy statement ${s.Sid ?? path.join('/')} allows Principal "*" without a condition`, path.join('/')));
      }
    }
    return out;
  },
};

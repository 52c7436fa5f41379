import type { Finding } from '../../../../core/finding.js';
import { isFullAdmin, statementsOf } from '../iam.js';
import { CHECKOV_AWS, IAM_BEST_PRACTICES, PROWLER, defineMeta, resourcesOf, taskRoleNote, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-012',
  title: 'IAM role or policy grants full administrator access',
  severity: 'CRITICAL',
  rationale:
    'Allow "*" on "*" (the AdministratorAccess managed policy) gives whoever runs code in the task the whole account: one application bug becomes an account takeover.',
  remediation: 'Detach AdministratorAccess and replace "*"/"*" statements with the specific actions and resources the workload uses.',
  references: [`${IAM_BEST_PRACTICES}#grant-least-privilege`, `${PROWLER}iam_role_administratoraccess_policy`, `${PROWLER}iam_customer_attached_policy_no_administrative_privileges`, CHECKOV_AWS],
  aliases: ['CKV_AWS_1', 'iam_customer_attached_policy_no_administrative_privileges', 'iam_inline_policy_no_administrative_privileges', 'iam_role_administratoraccess_policy'],
});

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'iam-role')) {
      (r.attachedPolicies ?? []).forEach((p, i) => {
        if (p.PolicyArn !== ADMINISTRATOR_ACCESS && p.PolicyName !== 'AdministratorAccess') return;
        const note = r.roleName ? taskRoleNote(ctx, [r.roleName]) : '';
        out.push(ctx.finding(meta, r, ['AttachedPolicies', i], `role ${r.name} has AdministratorAccess attached${note}`, 'AdministratorAccess'));
      });
    }
    for (const r of resourcesOf(resources, 'iam-policy')) {
      if (r.policyArn === ADMINISTRATOR_ACCESS) continue; // reported on the role that attaches it
      for (const { statement: s, path } of statementsOf(r.document)) {
        if (!isFullAdmin(s)) continue;
        out.push(ctx.finding(meta, r, path, `policy ${r.name} allows every action on every resource${taskRoleNote(ctx, ctx.rolesOf(r))}`, path.join('/')));
      }
    }
    return out;
  },
};

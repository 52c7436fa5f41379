import type { Finding } from '../../../../core/finding.js';
import { grants, isFullAdmin, onAnyResource, statementsOf } from '../iam.js';
import { IAM_BEST_PRACTICES, PROWLER, defineMeta, resourcesOf, taskRoleNote, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-011',
  title: 'IAM policy allows iam:PassRole on any role',
  severity: 'HIGH',
  rationale:
    'iam:PassRole on "*" lets the holder hand any role in the account, administrator roles included, to a service it can start (EC2, Lambda, ECS, Glue, ...), and so act with that role\'s rights.',
  remediation: 'Scope Resource to the ARNs of the roles the task must pass and add a Condition on iam:PassedToService.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html', `${IAM_BEST_PRACTICES}#grant-least-privilege`, `${PROWLER}iam_policy_allows_passrole_without_condition`],
  aliases: ['iam_policy_allows_passrole_without_condition'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'iam-policy')) {
      for (const { statement: s, path } of statementsOf(r.document)) {
        if (isFullAdmin(s) || !grants(s, 'iam:PassRole') || !onAnyResource(s) || s.Condition !== undefined) continue;
        out.push(ctx.finding(meta, r, path, `policy ${r.name} allows iam:PassRole on every role, without a condition${taskRoleNote(ctx, ctx.rolesOf(r))}`, path.join('/')));
      }
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { grantedOf, isFullAdmin, statementsOf } from '../iam.js';
import { CHECKOV_AWS, PROWLER, RHINO_PRIVESC, defineMeta, resourcesOf, taskRoleNote, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-013',
  title: 'IAM policy allows privilege escalation',
  severity: 'HIGH',
  rationale:
    'Some actions, alone or together, let the holder grant itself more: write a new default version of its own policy, attach or put a policy on a role, create keys for another user, or pass a powerful role to compute it controls. A task with them can become administrator.',
  remediation: 'Remove the escalation actions from the task role; if the workload really manages IAM, scope Resource to specific ARNs and use a permissions boundary.',
  references: [RHINO_PRIVESC, `${PROWLER}iam_policy_allows_privilege_escalation`, CHECKOV_AWS],
  aliases: ['CKV_AWS_286', 'iam_inline_policy_allows_privilege_escalation', 'iam_policy_allows_privilege_escalation'],
});

/**
 * Escalation paths: each a set of actions that together are enough (Rhino Security Labs' list of IAM
 * privilege escalation methods, plus the ECS equivalent of the PassRole + compute paths).
 */
export const ESCALATION_SETS: readonly (readonly string[])[] = [
  ['iam:CreatePolicyVersion'],
  ['iam:SetDefaultPolicyVersion'],
  ['iam:CreateAccessKey'],
  ['iam:CreateLoginProfile'],
  ['iam:UpdateLoginProfile'],
  ['iam:AttachUserPolicy'],
  ['iam:AttachGroupPolicy'],
  ['iam:AttachRolePolicy'],
  ['iam:PutUserPolicy'],
  ['iam:PutGroupPolicy'],
  ['iam:PutRolePolicy'],
  ['iam:AddUserToGroup'],
  ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'],
  ['iam:PassRole', 'ec2:RunInstances'],
  ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
  ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  ['lambda:UpdateFunctionCode'],
  ['iam:PassRole', 'glue:CreateDevEndpoint'],
  ['glue:UpdateDevEndpoint'],
  ['iam:PassRole', 'cloudformation:CreateStack'],
  ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
  ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
];

const ALL_ACTIONS = [...new Set(ESCALATION_SETS.flat())];

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'iam-policy')) {
      if (statementsOf(r.document).some(({ statement }) => isFullAdmin(statement))) continue; // BW-AWS-012
      const granted = grantedOf(r.document, ALL_ACTIONS);
      const paths = ESCALATION_SETS.filter((set) => set.every((a) => granted.has(a))).map((set) => set.join(' + '));
      if (!paths.length) continue;
      out.push(ctx.finding(meta, r, [], `policy ${r.name} allows ${paths.join('; ')}${taskRoleNote(ctx, ctx.rolesOf(r))}`));
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { isAllow, isFullAdmin, list, statementsOf } from '../iam.js';
import { CHECKOV_AWS, IAM_BEST_PRACTICES, defineMeta, resourcesOf, taskRoleNote, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-010',
  title: 'IAM policy allows wildcard actions or resources',
  severity: 'HIGH',
  rationale:
    'A "*" action grants every present and future API of a service; a "*" resource with write actions applies them to every resource in the account. Either makes the role far more powerful than the task needs.',
  remediation: 'List the actions the task calls and scope Resource to the ARNs it touches (IAM Access Analyzer can generate a policy from CloudTrail activity).',
  references: [`${IAM_BEST_PRACTICES}#grant-least-privilege`, CHECKOV_AWS],
  aliases: ['CKV_AWS_355', 'CKV_AWS_63'],
});

/** Actions that only accept Resource "*", so "*" there is not a finding. */
const RESOURCE_STAR_ONLY = [
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'cloudwatch:PutMetricData',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
].map((a) => a.toLowerCase());

const READ_ONLY = /^[\w-]+:(Get|List|Describe|BatchGet|Head)/i;

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'iam-policy')) {
      const note = taskRoleNote(ctx, ctx.rolesOf(r));
      for (const { statement: s, path } of statementsOf(r.document)) {
        if (!isAllow(s) || isFullAdmin(s)) continue; // full admin is BW-AWS-012
        const wild = list(s.Action).filter((a) => a === '*' || /^[\w-]+:\*$/.test(a));
        if (s.NotAction !== undefined) {
          out.push(ctx.finding(meta, r, [...path, 'NotAction'], `policy ${r.name} allows every action except ${list(s.NotAction).join(', ')}${note}`, `${path.join('/')}/NotAction`));
        } else if (wild.length) {
          out.push(ctx.finding(meta, r, [...path, 'Action'], `policy ${r.name} allows ${wild.join(', ')}${note}`, `${path.join('/')}/Action`));
        }
        if (list(s.Resource).includes('*') && s.Condition === undefined) {
          // iam:PassRole on "*" is BW-AWS-011's; a Condition usually narrows what "*" means.
          const writes = list(s.Action).filter(
            (a) => !READ_ONLY.test(a) && !RESOURCE_STAR_ONLY.includes(a.toLowerCase()) && !wild.includes(a) && a.toLowerCase() !== 'iam:passrole',
          );
          if (writes.length) {
            out.push(ctx.finding(meta, r, [...path, 'Resource'], `policy ${r.name} allows ${writes.join(', ')} on Resource "*"${note}`, `${path.join('/')}/Resource`));
          }
        }
      }
    }
    return out;
  },
};

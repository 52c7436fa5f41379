import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type AttachedPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ABSENT, type AwsCalls } from './calls.js';
import { decodePolicyDocument } from '../policy-document.js';
import { lastSegmentOf, toCliJson } from './cli-json.js';

/** AWS-managed policies: their documents are AWS's, and the rules know the one that matters (AdministratorAccess) by ARN. */
const AWS_MANAGED = /^arn:aws[\w-]*:iam::aws:policy\//;

/**
 * For each role: get-role, list-attached-role-policies (with RoleName, so the bundle ties the list to
 * the role), get-role-policy for each inline policy, and get-policy-version (with PolicyArn) for the
 * default version of each customer-managed policy attached, once per policy.
 */
export async function collectIam(iam: IAMClient, calls: AwsCalls, roleArns: readonly string[]): Promise<unknown[]> {
  const documents: unknown[] = [];
  const policyArns: string[] = [];
  const roleNames = [...new Set(roleArns.map(lastSegmentOf))].sort();

  for (const RoleName of roleNames) {
    const role = await calls.runOrAbsent('iam:GetRole', `role ${RoleName}`, () => iam.send(new GetRoleCommand({ RoleName })), ['NoSuchEntityException', 'NoSuchEntity']);
    if (role === ABSENT) {
      calls.warnings.push(`aws: iam:GetRole on role ${RoleName}: the role does not exist (a task definition names it); skipped`);
      continue;
    }
    // Denied GetRole: the policies may still be readable.
    if (role?.Role) documents.push(toCliJson({ ...role, Role: { ...role.Role, AssumeRolePolicyDocument: decodePolicyDocument(role.Role.AssumeRolePolicyDocument) } }));

    const attached: AttachedPolicy[] = [];
    const listed = await calls.run('iam:ListAttachedRolePolicies', `role ${RoleName}`, async () => {
      for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName })) attached.push(...(page.AttachedPolicies ?? []));
      return true;
    });
    if (listed) documents.push(toCliJson({ RoleName, AttachedPolicies: attached }));
    for (const p of attached) if (p.PolicyArn && !AWS_MANAGED.test(p.PolicyArn)) policyArns.push(p.PolicyArn);

    const inline: string[] = [];
    await calls.run('iam:ListRolePolicies', `role ${RoleName}`, async () => {
      for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) inline.push(...(page.PolicyNames ?? []));
    });
    for (const PolicyName of inline) {
      const answer = await calls.run('iam:GetRolePolicy', `role ${RoleName} policy ${PolicyName}`, () => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })));
      if (answer) documents.push(toCliJson({ ...answer, PolicyDocument: decodePolicyDocument(answer.PolicyDocument) }));
    }
  }

  for (const PolicyArn of [...new Set(policyArns)]) {
    const policy = await calls.run('iam:GetPolicy', `policy ${PolicyArn}`, () => iam.send(new GetPolicyCommand({ PolicyArn })));
    const VersionId = policy?.Policy?.DefaultVersionId;
    if (!VersionId) continue;
    const answer = await calls.run('iam:GetPolicyVersion', `policy ${PolicyArn} version ${VersionId}`, () => iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId })));
    if (!answer?.PolicyVersion) continue;
    documents.push(toCliJson({ PolicyArn, PolicyVersion: { ...answer.PolicyVersion, Document: decodePolicyDocument(answer.PolicyVersion.Document) } }));
  }
  calls.progress(`iam: ${roleNames.length} role(s), ${new Set(policyArns).size} customer-managed policy(ies)`);
  return documents;
}

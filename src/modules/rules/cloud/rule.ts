import type { Finding } from '../../../core/finding.js';
import { pointerOf } from '../../../cloud/load.js';
import type { AwsResource, JsonPath } from '../../../cloud/types.js';
import { ruleFinding } from '../rule-finding.js';
import type { RuleMeta } from '../types.js';

export { defineMeta } from '../meta.js';

export const PROWLER = 'https://hub.prowler.com/check/';
export const CHECKOV_AWS = 'https://www.checkov.io/5.Policy%20Index/aws.html';
export const ECS_TASK_DEF_PARAMS = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html';
export const ECS_BEST_PRACTICES = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html';
export const IAM_BEST_PRACTICES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html';
export const SG_RULES = 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html';
export const ECR_DOCS = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/';
export const RHINO_PRIVESC = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';

/** What every cloud rule can ask about the whole input, beyond the resource it is looking at. */
export interface AwsCheckContext {
  target: string;
  resources: readonly AwsResource[];
  /** Role names a task definition uses as its task role (from taskRoleArn). */
  taskRoles: ReadonlyMap<string, string[]>;
  /** Role names an IAM policy resource belongs to or is attached to (list-attached-role-policies, get-role-policy). */
  rolesOf(policy: Extract<AwsResource, { kind: 'iam-policy' }>): string[];
  /** A finding about resource, at fieldPath below it. */
  finding(meta: RuleMeta, resource: AwsResource, fieldPath: JsonPath, message: string, subject?: string): Finding;
}

export interface AwsRule {
  meta: RuleMeta;
  check(resources: readonly AwsResource[], ctx: AwsCheckContext): Finding[];
}

export function makeAwsContext(resources: readonly AwsResource[], target: string): AwsCheckContext {
  const taskRoles = new Map<string, string[]>();
  for (const r of resources) {
    if (r.kind !== 'ecs-task-definition' || !r.taskDefinition.taskRoleArn) continue;
    const role = roleNameOf(r.taskDefinition.taskRoleArn);
    taskRoles.set(role, [...(taskRoles.get(role) ?? []), r.name]);
  }
  return {
    target,
    resources,
    taskRoles,
    rolesOf(policy) {
      const out = new Set<string>();
      if (policy.roleName) out.add(policy.roleName);
      if (policy.policyArn) {
        for (const r of resources) {
          if (r.kind === 'iam-role' && r.roleName && r.attachedPolicies?.some((p) => p.PolicyArn === policy.policyArn)) out.add(r.roleName);
        }
      }
      return [...out].sort();
    },
    finding(meta, resource, fieldPath, message, subject = '') {
      const src = resource.source;
      const where = `${src.file}#${src.pointer}${pointerOf(fieldPath)}`;
      const line = src.lineOf(fieldPath);
      const location = { path: src.file, ...(line !== undefined ? { line } : {}), resource: where };
      return ruleFinding(meta, { stackLayer: 'cloud', target, location, description: message, about: [where, subject] });
    },
  };
}

/** "arn:aws:iam::123456789012:role/service-role/web" -> "web"; a bare name stays as it is. */
export function roleNameOf(arnOrName: string): string {
  const i = arnOrName.indexOf(':role/');
  const rest = i >= 0 ? arnOrName.slice(i + ':role/'.length) : arnOrName;
  return rest.slice(rest.lastIndexOf('/') + 1);
}

export function resourcesOf<K extends AwsResource['kind']>(resources: readonly AwsResource[], kind: K): Extract<AwsResource, { kind: K }>[] {
  return resources.filter((r): r is Extract<AwsResource, { kind: K }> => r.kind === kind);
}

/** "container web in task definition web:7". */
export function containerLabel(td: string, name: string | undefined, index: number): string {
  return `container ${name ?? `#${index}`} in task definition ${td}`;
}

/** Where the task role of a policy's roles is used, for messages: " (task role of web:7)". */
export function taskRoleNote(ctx: AwsCheckContext, roles: string[]): string {
  const uses = roles.flatMap((r) => (ctx.taskRoles.get(r) ?? []).map((td) => `${r} → ${td}`));
  if (uses.length) return ` (attached to the task role ${uses.join(', ')})`;
  if (roles.length) return ` (attached to role ${roles.join(', ')})`;
  return '';
}

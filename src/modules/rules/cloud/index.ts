import { compareFindings, type Finding } from '../../../core/finding.js';
import type { AwsResource } from '../../../cloud/types.js';
import type { RuleMeta, RulePack } from '../types.js';
import { makeAwsContext, type AwsRule } from './rule.js';
import { rule as ecsPrivileged } from './rules/ecs-privileged.js';
import { rule as ecsRootUser } from './rules/ecs-root-user.js';
import { rule as ecsWritableRoot } from './rules/ecs-writable-root.js';
import { rule as ecsHostNamespaces } from './rules/ecs-host-namespaces.js';
import { rule as ecsEnvironmentSecrets } from './rules/ecs-environment-secrets.js';
import { rule as ecsNoLogging } from './rules/ecs-no-logging.js';
import { rule as ecsSharedRoles } from './rules/ecs-shared-roles.js';
import { rule as ecsServicePublicIp } from './rules/ecs-service-public-ip.js';
import { rule as ecsFargatePlatform } from './rules/ecs-fargate-platform.js';
import { rule as iamWildcard } from './rules/iam-wildcard.js';
import { rule as iamPassRoleAny } from './rules/iam-passrole-any.js';
import { rule as iamAdmin } from './rules/iam-admin.js';
import { rule as iamPrivilegeEscalation } from './rules/iam-privilege-escalation.js';
import { rule as sgAllPorts } from './rules/sg-all-ports.js';
import { rule as sgAdminPorts } from './rules/sg-admin-ports.js';
import { rule as sgDatabasePorts } from './rules/sg-database-ports.js';
import { rule as sgOtherPorts } from './rules/sg-other-ports.js';
import { rule as ecrPublicPolicy } from './rules/ecr-public-policy.js';
import { rule as ecrMutableTags } from './rules/ecr-mutable-tags.js';
import { rule as ecrScanOnPush } from './rules/ecr-scan-on-push.js';
import { rule as ecrNoLifecycle } from './rules/ecr-no-lifecycle.js';

export type { AwsCheckContext, AwsRule } from './rule.js';

/** Every AWS rule, in id order. */
export const CLOUD_RULES: readonly AwsRule[] = [
  ecsPrivileged,
  ecsRootUser,
  ecsWritableRoot,
  ecsHostNamespaces,
  ecsEnvironmentSecrets,
  ecsNoLogging,
  ecsSharedRoles,
  ecsServicePublicIp,
  ecsFargatePlatform,
  iamWildcard,
  iamPassRoleAny,
  iamAdmin,
  iamPrivilegeEscalation,
  sgAllPorts,
  sgAdminPorts,
  sgDatabasePorts,
  sgOtherPorts,
  ecrPublicPolicy,
  ecrMutableTags,
  ecrScanOnPush,
  ecrNoLifecycle,
];

/** The pack's rules' metadata, in id order. */
export function cloudRules(): RuleMeta[] {
  return CLOUD_RULES.map((r) => r.meta);
}

export const cloudPack: RulePack = { id: 'cloud', rules: cloudRules };

/** Runs every AWS rule over the loaded resources; findings in report order, deterministic across runs. */
export function checkAws(resources: readonly AwsResource[], target: string): Finding[] {
  const ctx = makeAwsContext(resources, target);
  return CLOUD_RULES.flatMap((rule) => rule.check(resources, ctx)).sort(compareFindings);
}

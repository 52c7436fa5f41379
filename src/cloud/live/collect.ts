import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { AwsCalls } from './calls.js';
import { accountOfArn } from './cli-json.js';
import { createAwsClients } from './clients.js';
import { collectSecurityGroups } from './ec2.js';
import { collectEcr } from './ecr.js';
import { collectEcs } from './ecs.js';
import { collectIam } from './iam.js';

export interface CollectAwsOptions {
  region: string;
  endpointUrl?: string;
  profile?: string;
  /** Cluster names or ARNs; all clusters of the region when absent. */
  clusters?: string[];
  /** Per-request connection and answer timeout; 10 s when absent. */
  timeoutMs?: number;
  onProgress?: (msg: string) => void;
}

export interface AwsBundle {
  bulwarkAwsBundle: 1;
  documents: unknown[];
}

export interface CollectAwsResult {
  /** What src/cloud/load.ts reads: the documents the AWS CLI would have printed. */
  bundle: AwsBundle;
  /** One line each: a call that was refused or failed, naming the call and the resource. */
  warnings: string[];
  /** The account the resources belong to, from their ARNs. */
  account?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Gathers, with read-only Describe/List/Get calls, the documents a user would export with the AWS CLI
 * for `bulwark cloud`: ECS services and task definitions, the IAM roles they use and those roles'
 * policies, the security groups the services use, and ECR repositories with their policies.
 * Throws a one-line BulwarkError when AWS cannot be used at all; a refused call is a warning.
 */
export async function collectAwsDocuments(options: CollectAwsOptions): Promise<CollectAwsResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = options.endpointUrl ?? `AWS ${options.region}`;
  const calls = new AwsCalls(where, timeoutMs, options.onProgress, options.profile);
  const clients = createAwsClients({ ...options, timeoutMs });
  try {
    const ecs = await collectEcs(clients.ecs, calls, options.clusters);
    const iam = await collectIam(clients.iam, calls, rolesUsed(ecs.taskDefinitions));
    const groups = await collectSecurityGroups(clients.ec2, calls, groupsUsed(ecs.services));
    const ecr = await collectEcr(clients.ecr, calls);
    const account = accountOf(ecs.services, ecs.taskDefinitions, ecr);
    return {
      bundle: { bulwarkAwsBundle: 1, documents: [...ecs.documents, ...iam, ...groups, ...ecr] },
      warnings: calls.warnings,
      ...(account ? { account } : {}),
    };
  } finally {
    clients.destroy();
  }
}

function rolesUsed(taskDefinitions: readonly TaskDefinition[]): string[] {
  return taskDefinitions.flatMap((td) => [td.taskRoleArn, td.executionRoleArn]).filter((a): a is string => !!a);
}

function groupsUsed(services: readonly Service[]): string[] {
  return services.flatMap((s) => s.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []);
}

function accountOf(services: readonly Service[], taskDefinitions: readonly TaskDefinition[], ecr: readonly unknown[]): string | undefined {
  const arns = [...services.map((s) => s.serviceArn), ...taskDefinitions.map((t) => t.taskDefinitionArn)];
  for (const doc of ecr) {
    const repos = (doc as { repositories?: { repositoryArn?: string }[] }).repositories;
    if (repos) arns.push(...repos.map((r) => r.repositoryArn));
  }
  for (const arn of arns) {
    const account = accountOfArn(arn);
    if (account) return account;
  }
  return undefined;
}

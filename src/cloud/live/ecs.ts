import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitions,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { AwsCalls } from './calls.js';
import { lastSegmentOf, toCliJson } from './cli-json.js';

export interface EcsCollection {
  /** describe-services and describe-task-definition outputs, as the CLI prints them. */
  documents: unknown[];
  services: Service[];
  taskDefinitions: TaskDefinition[];
}

const DESCRIBE_SERVICES_BATCH = 10;

/**
 * The services of the given clusters (all clusters when none are given) and their task definitions; with
 * no clusters given, also the latest ACTIVE revision of every task definition family.
 */
export async function collectEcs(ecs: ECSClient, calls: AwsCalls, clusters: readonly string[] | undefined): Promise<EcsCollection> {
  const out: EcsCollection = { documents: [], services: [], taskDefinitions: [] };
  const clusterArns = clusters?.length ? [...clusters] : await listClusters(ecs, calls);
  const taskDefinitionRefs: string[] = [];

  for (const cluster of clusterArns) {
    const name = lastSegmentOf(cluster);
    const serviceArns: string[] = [];
    await calls.run('ecs:ListServices', `cluster ${name}`, async () => {
      for await (const page of paginateListServices({ client: ecs }, { cluster })) serviceArns.push(...(page.serviceArns ?? []));
    });
    calls.progress(`ecs: cluster ${name}: ${serviceArns.length} service(s)`);
    for (let i = 0; i < serviceArns.length; i += DESCRIBE_SERVICES_BATCH) {
      const batch = serviceArns.slice(i, i + DESCRIBE_SERVICES_BATCH);
      const answer = await calls.run('ecs:DescribeServices', `cluster ${name}`, () => ecs.send(new DescribeServicesCommand({ cluster, services: batch })));
      if (!answer) continue;
      out.documents.push(toCliJson(answer));
      for (const s of answer.services ?? []) {
        out.services.push(s);
        if (s.taskDefinition) taskDefinitionRefs.push(s.taskDefinition);
      }
    }
  }
  if (!clusters?.length) taskDefinitionRefs.push(...(await latestActiveRevisions(ecs, calls)));

  const described = new Set<string>();
  for (const ref of taskDefinitionRefs) {
    if (described.has(ref)) continue;
    described.add(ref);
    const answer = await calls.run('ecs:DescribeTaskDefinition', lastSegmentOf(ref), () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })));
    if (!answer?.taskDefinition) continue;
    out.documents.push(toCliJson(answer));
    out.taskDefinitions.push(answer.taskDefinition);
  }
  calls.progress(`ecs: ${out.services.length} service(s), ${out.taskDefinitions.length} task definition(s)`);
  return out;
}

async function listClusters(ecs: ECSClient, calls: AwsCalls): Promise<string[]> {
  const arns: string[] = [];
  await calls.run('ecs:ListClusters', '', async () => {
    for await (const page of paginateListClusters({ client: ecs }, {})) arns.push(...(page.clusterArns ?? []));
  });
  return arns;
}

/** The newest ACTIVE revision ARN of each family (ListTaskDefinitions sorted newest first). */
async function latestActiveRevisions(ecs: ECSClient, calls: AwsCalls): Promise<string[]> {
  const latest = new Map<string, string>();
  await calls.run('ecs:ListTaskDefinitions', 'status ACTIVE', async () => {
    for await (const page of paginateListTaskDefinitions({ client: ecs }, { status: 'ACTIVE', sort: 'DESC' })) {
      for (const arn of page.taskDefinitionArns ?? []) {
        const family = lastSegmentOf(arn).replace(/:\d+$/, '');
        if (!latest.has(family)) latest.set(family, arn);
      }
    }
  });
  return [...latest.values()];
}

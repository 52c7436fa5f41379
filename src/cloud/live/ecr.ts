import { GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, paginateDescribeRepositories, type ECRClient, type Repository } from '@aws-sdk/client-ecr';
import { ABSENT, type AwsCalls } from './calls.js';
import { toCliJson } from './cli-json.js';

/**
 * describe-repositories (one document per page), and get-repository-policy / get-lifecycle-policy for
 * each repository that has one. A repository without a lifecycle policy gets no lifecycle document, which
 * is how BW-AWS-021 reads "none" offline too; when the lifecycle policy could not be read, the warning says
 * that the rule's answer for that repository is unknown.
 */
export async function collectEcr(ecr: ECRClient, calls: AwsCalls): Promise<unknown[]> {
  const documents: unknown[] = [];
  const repositories: Repository[] = [];
  await calls.run('ecr:DescribeRepositories', '', async () => {
    for await (const page of paginateDescribeRepositories({ client: ecr }, {})) {
      repositories.push(...(page.repositories ?? []));
      documents.push(toCliJson({ repositories: page.repositories ?? [] }));
    }
  });

  for (const repo of repositories) {
    const repositoryName = repo.repositoryName;
    if (!repositoryName) continue;
    const input = { repositoryName, ...(repo.registryId ? { registryId: repo.registryId } : {}) };
    const policy = await calls.runOrAbsent('ecr:GetRepositoryPolicy', `repository ${repositoryName}`, () => ecr.send(new GetRepositoryPolicyCommand(input)), [
      'RepositoryPolicyNotFoundException',
    ]);
    if (policy !== ABSENT && policy?.policyText) documents.push(toCliJson(policy));

    const before = calls.warnings.length;
    const lifecycle = await calls.runOrAbsent('ecr:GetLifecyclePolicy', `repository ${repositoryName}`, () => ecr.send(new GetLifecyclePolicyCommand(input)), [
      'LifecyclePolicyNotFoundException',
    ]);
    if (lifecycle !== ABSENT && lifecycle?.lifecyclePolicyText) documents.push(toCliJson(lifecycle));
    else if (lifecycle === undefined && calls.warnings.length > before) calls.warnings[before] += `; BW-AWS-021 (no lifecycle policy) may be wrong for it`;
  }
  calls.progress(`ecr: ${repositories.length} repository(ies)`);
  return documents;
}

import { paginateDescribeSecurityGroups, type EC2Client, type SecurityGroup } from '@aws-sdk/client-ec2';
import type { AwsCalls } from './calls.js';
import { toCliJson } from './cli-json.js';

/** A group-id filter takes at most 200 values. */
const FILTER_VALUES_MAX = 200;

/** describe-security-groups output (one document per page) for the given groups. */
export async function collectSecurityGroups(ec2: EC2Client, calls: AwsCalls, groupIds: readonly string[]): Promise<unknown[]> {
  const documents: unknown[] = [];
  const ids = [...new Set(groupIds)].sort();
  let count = 0;
  for (let i = 0; i < ids.length; i += FILTER_VALUES_MAX) {
    const chunk = ids.slice(i, i + FILTER_VALUES_MAX);
    await calls.run('ec2:DescribeSecurityGroups', `group(s) ${chunk.join(', ')}`, async () => {
      // A filter rather than GroupIds: GroupIds fails the whole call when one group is gone, and forbids paging.
      const pages = paginateDescribeSecurityGroups({ client: ec2, pageSize: 100 }, { Filters: [{ Name: 'group-id', Values: chunk }] });
      for await (const page of pages) {
        const groups: SecurityGroup[] = page.SecurityGroups ?? [];
        count += groups.length;
        documents.push(toCliJson({ SecurityGroups: groups }));
      }
    });
  }
  calls.progress(`ec2: ${count} security group(s)`);
  return documents;
}

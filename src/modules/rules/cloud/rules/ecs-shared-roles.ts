import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-007',
  title: 'ECS task role and execution role are the same role',
  severity: 'MEDIUM',
  rationale:
    'The execution role is for the ECS agent (pull the image, fetch secrets, write logs); the task role is what the application code gets. One role for both hands the application the rights to read every secret and pull every image the agent may.',
  remediation: 'Create two roles: an execution role with AmazonECSTaskExecutionRolePolicy (plus the secrets it must read) and a task role with only what the application calls.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html', 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html', CHECKOV_AWS],
  aliases: ['CKV_AWS_249'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      const { taskRoleArn, executionRoleArn } = r.taskDefinition;
      if (taskRoleArn && executionRoleArn && taskRoleArn === executionRoleArn) {
        out.push(ctx.finding(meta, r, ['executionRoleArn'], `task definition ${r.name} uses ${taskRoleArn} as both taskRoleArn and executionRoleArn`));
      }
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { ECS_TASK_DEF_PARAMS, PROWLER, containerLabel, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-006',
  title: 'ECS container has no log configuration',
  severity: 'LOW',
  rationale:
    'Without logConfiguration the container output goes nowhere you can query (on Fargate it is lost): incidents cannot be investigated and attacks go unseen.',
  remediation: 'Add a logConfiguration (awslogs to CloudWatch Logs, or awsfirelens) to every container definition.',
  references: [`${ECS_TASK_DEF_PARAMS}#container_definition_logconfiguration`, `${PROWLER}ecs_task_definitions_logging_enabled`],
  aliases: ['ecs_task_definitions_logging_enabled'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      r.taskDefinition.containerDefinitions.forEach((c, i) => {
        if (c.logConfiguration?.logDriver) return;
        out.push(ctx.finding(meta, r, ['containerDefinitions', i], `${containerLabel(r.name, c.name, i)} has no logConfiguration`, c.name ?? String(i)));
      });
    }
    return out;
  },
};

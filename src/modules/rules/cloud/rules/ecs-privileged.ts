import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, ECS_TASK_DEF_PARAMS, PROWLER, containerLabel, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-001',
  title: 'ECS container runs privileged',
  severity: 'HIGH',
  rationale:
    'A privileged container gets every capability and the host devices of the container instance: a compromise of the application is a compromise of the EC2 host and of every task on it.',
  remediation: 'Remove "privileged": true; grant the one capability the container needs through linuxParameters.capabilities.add instead.',
  references: [`${ECS_TASK_DEF_PARAMS}#container_definition_security`, `${PROWLER}ecs_task_definitions_no_privileged_containers`, CHECKOV_AWS],
  aliases: ['CKV_AWS_334', 'ecs_task_definitions_no_privileged_containers'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      r.taskDefinition.containerDefinitions.forEach((c, i) => {
        if (c.privileged === true) {
          out.push(ctx.finding(meta, r, ['containerDefinitions', i, 'privileged'], `${containerLabel(r.name, c.name, i)} sets privileged: true`, c.name ?? String(i)));
        }
      });
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, ECS_TASK_DEF_PARAMS, PROWLER, containerLabel, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-003',
  title: 'ECS container root filesystem is writable',
  severity: 'MEDIUM',
  rationale:
    'A writable root filesystem lets an attacker who gets code execution drop tools, alter binaries and persist inside the running container.',
  remediation: 'Set "readonlyRootFilesystem": true and mount a volume (or bind mount of an ephemeral task volume) for the paths the application writes.',
  references: [`${ECS_TASK_DEF_PARAMS}#container_definition_storage`, `${PROWLER}ecs_task_definitions_containers_readonly_access`, CHECKOV_AWS],
  aliases: ['CKV_AWS_336', 'ecs_task_definitions_containers_readonly_access'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      r.taskDefinition.containerDefinitions.forEach((c, i) => {
        if (c.readonlyRootFilesystem === true) return;
        const why = c.readonlyRootFilesystem === false ? 'sets readonlyRootFilesystem: false' : 'does not set readonlyRootFilesystem (it defaults to false)';
        out.push(
          ctx.finding(meta, r, ['containerDefinitions', i, ...(c.readonlyRootFilesystem === undefined ? [] : ['readonlyRootFilesystem'])], `${containerLabel(r.name, c.name, i)} ${why}`, c.name ?? String(i)),
        );
      });
    }
    return out;
  },
};

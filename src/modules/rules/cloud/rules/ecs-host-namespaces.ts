import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, ECS_TASK_DEF_PARAMS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-004',
  title: 'ECS task shares a host namespace (network, PID or IPC)',
  severity: 'HIGH',
  rationale:
    'networkMode "host" puts the containers on the instance network stack (host ports, the instance metadata endpoint, other services on localhost); pidMode "host" shows and lets them signal every process on the instance; ipcMode "host" shares its shared memory.',
  remediation: 'Use networkMode "awsvpc" (or "bridge"), and leave pidMode and ipcMode unset or set them to "task".',
  references: [`${ECS_TASK_DEF_PARAMS}#network_mode`, `${PROWLER}ecs_task_definitions_host_namespace_not_shared`, `${PROWLER}ecs_task_definitions_host_networking_mode_users`, CHECKOV_AWS],
  aliases: ['CKV_AWS_335', 'ecs_task_definitions_host_namespace_not_shared', 'ecs_task_definitions_host_networking_mode_users'],
});

const FIELDS = ['networkMode', 'pidMode', 'ipcMode'] as const;

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      for (const f of FIELDS) {
        if (r.taskDefinition[f] === 'host') out.push(ctx.finding(meta, r, [f], `task definition ${r.name} sets ${f}: "host"`, f));
      }
    }
    return out;
  },
};

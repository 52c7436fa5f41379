import type { Finding } from '../../../../core/finding.js';
import { ECS_TASK_DEF_PARAMS, PROWLER, containerLabel, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-005',
  title: 'ECS container passes a secret in plain environment variables',
  severity: 'HIGH',
  rationale:
    'Values in "environment" are stored in the task definition in clear text: anyone with ecs:DescribeTaskDefinition (and every revision, forever) can read them, and they show up in consoles, CI logs and exports like this one.',
  remediation:
    'Move the value to Secrets Manager or SSM Parameter Store and reference it in "secrets" (name + valueFrom); the execution role fetches it at start.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html', `${ECS_TASK_DEF_PARAMS}#container_definition_environment`, `${PROWLER}ecs_task_definitions_no_environment_secrets`],
  aliases: ['ecs_task_definitions_no_environment_secrets'],
});

/** Variable names that say they hold a credential. */
export const SECRET_NAME = /(PASSWORD|PASSWD|PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?SECRET|DSN$|CONNECTION_?STRING)/i;
/** Names that merely point at a secret kept elsewhere. */
const POINTER_NAME = /(_FILE|_PATH|_ARN|_ID|_NAME|_URL_?PATH)$/i;
/** AWS access key id, in case the name does not give it away. */
const ACCESS_KEY_VALUE = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

export function looksSecret(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  if (ACCESS_KEY_VALUE.test(value.trim())) return true;
  if (/^AWS_ACCESS_KEY_ID$/i.test(name)) return true;
  if (POINTER_NAME.test(name)) return false;
  if (/^arn:aws[\w-]*:(secretsmanager|ssm):/.test(value)) return false;
  return SECRET_NAME.test(name);
}

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      r.taskDefinition.containerDefinitions.forEach((c, i) => {
        (c.environment ?? []).forEach((e, j) => {
          if (!e.name || !looksSecret(e.name, e.value)) return;
          out.push(
            ctx.finding(meta, r, ['containerDefinitions', i, 'environment', j], `${containerLabel(r.name, c.name, i)} sets ${e.name} in plain environment (value not shown)`, `${c.name ?? i}/${e.name}`),
          );
        });
      });
    }
    return out;
  },
};

import type { Finding } from '../../../../core/finding.js';
import { ECS_BEST_PRACTICES, ECS_TASK_DEF_PARAMS, containerLabel, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-002',
  title: 'ECS container runs as root',
  severity: 'MEDIUM',
  rationale:
    'Without a non-root user the process runs as UID 0 (unless the image sets USER): a container escape or a writable host mount then acts as root on the container instance.',
  remediation:
    'Set "user" in the container definition to a non-root UID (e.g. "1000" or "1000:1000"), or set USER in the image and state it in the task definition too.',
  references: [`${ECS_TASK_DEF_PARAMS}#container_definition_security`, ECS_BEST_PRACTICES],
  aliases: [],
});

/** True for a missing user and for "0", "root", "0:0", "root:root", "0:1000", ... */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined || user.trim() === '') return true;
  const name = user.split(':')[0]!.trim();
  return name === '0' || name === 'root';
}

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-task-definition')) {
      const platform = r.taskDefinition.runtimePlatform as { operatingSystemFamily?: string } | undefined;
      if (platform?.operatingSystemFamily?.startsWith('WINDOWS')) continue; // "user" is not supported for Windows containers
      r.taskDefinition.containerDefinitions.forEach((c, i) => {
        if (!isRootUser(c.user)) return;
        const why = c.user === undefined ? 'sets no user, so it runs as the image user (root unless the image says otherwise)' : `runs as user "${c.user}"`;
        out.push(ctx.finding(meta, r, ['containerDefinitions', i, ...(c.user === undefined ? [] : ['user'])], `${containerLabel(r.name, c.name, i)} ${why}`, c.name ?? String(i)));
      });
    }
    return out;
  },
};

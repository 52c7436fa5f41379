import { CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import type { DfInstruction, Stage } from '../parse.js';

export const meta = defineMeta({
  id: 'BW-DF-001',
  title: 'Final stage runs as root',
  severity: 'HIGH',
  rationale:
    'A container runs as the image\'s last USER; without one, or with root/UID 0, a process compromise inside the container is a root compromise, one kernel or runtime flaw away from the host.',
  remediation:
    'Create an unprivileged user and end the final stage with `USER <name or uid>` (builder stages may stay root).',
  references: [`${HADOLINT_WIKI}DL3002`, 'https://docs.docker.com/reference/dockerfile/#user', CIS_DOCKER, DOCKLE],
  aliases: ['DL3002', 'CIS-DOCKER-4.1', 'CIS-DI-0001'],
});

function isRoot(user: string): boolean {
  const name = (user.split(':')[0] ?? '').trim();
  return name === 'root' || /^0+$/.test(name);
}

/** The last USER of the final stage, or of the stages it is built on. */
function lastUser(stage: Stage): DfInstruction | null {
  for (let s: Stage | null = stage; s; s = s.parent) {
    const users = s.instructions.filter((i) => i.keyword === 'USER');
    if (users.length) return users[users.length - 1] as DfInstruction;
  }
  return null;
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const final = df.stages[df.stages.length - 1];
    if (!final) return [];
    const user = lastUser(final);
    if (!user) return [ctx.finding(meta, final.fromInstruction, 'the final stage sets no USER, so the container runs as root')];
    if (isRoot(user.args)) return [ctx.finding(meta, user, `the final stage's last USER is ${user.args.split(/\s/)[0]}`)];
    return [];
  },
};

import { HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-022',
  title: 'CMD or ENTRYPOINT in shell form',
  severity: 'LOW',
  rationale:
    'In shell form the process runs under /bin/sh -c, which does not forward signals: docker stop waits for its timeout and then kills the application without a clean shutdown.',
  remediation: 'Use the JSON (exec) form: `CMD ["nginx", "-g", "daemon off;"]`.',
  references: [`${HADOLINT_WIKI}DL3025`, 'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form'],
  aliases: ['DL3025'],
});

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    return df.instructions
      .filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && i.args !== '' && i.exec === null)
      .map((i) => ctx.finding(meta, i, `${i.keyword} is in shell form`));
  },
};

import { HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-010',
  title: 'Relative WORKDIR',
  severity: 'LOW',
  rationale: 'A relative WORKDIR depends on every earlier WORKDIR, including the parent image\'s; an absolute one is unambiguous.',
  remediation: 'Use an absolute path: `WORKDIR /app`.',
  references: [`${HADOLINT_WIKI}DL3000`, 'https://docs.docker.com/reference/dockerfile/#workdir'],
  aliases: ['DL3000'],
});

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const instr of df.instructions) {
      if (instr.keyword !== 'WORKDIR') continue;
      const path = instr.args.replace(/^(["'])(.*)\1$/, '$2');
      // Variables may hold an absolute path; Windows paths start with a drive letter.
      if (path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path)) continue;
      out.push(ctx.finding(meta, instr, `WORKDIR ${path} is relative`));
    }
    return out;
  },
};

import { BEST_PRACTICES, defineMeta, type DockerfileRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-007',
  title: 'Whole build context copied without a .dockerignore',
  severity: 'MEDIUM',
  rationale:
    'Without a .dockerignore, `COPY . .` puts everything in the context into the image: .git, .env files, credentials, local build output.',
  remediation:
    'Add a .dockerignore beside the Dockerfile (exclude .git, .env*, secrets, node_modules, build output), or copy only the paths the image needs.',
  references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files', BEST_PRACTICES],
  aliases: [],
});

const WHOLE = /^(\.|\.\/|\.\/\*|\*|\/|\.\/\.)$/;

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    if (ctx.options.hasDockerignore) return [];
    const out = [];
    for (const instr of df.instructions) {
      if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || instr.flags.has('from') || instr.heredocs.length) continue;
      const words = instr.exec ?? instr.args.split(/\s+/);
      const sources = words.slice(0, -1);
      if (sources.some((s) => WHOLE.test(s))) out.push(ctx.finding(meta, instr, `${instr.keyword} copies the whole build context and there is no .dockerignore`));
    }
    return out;
  },
};

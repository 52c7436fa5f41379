import { APT, APT_VALUED, DOCKLE, HADOLINT_WIKI, defineMeta, hasCacheMount, runs, type DockerfileRule } from '../rule.js';
import { finalChain } from '../parse.js';
import { commandsNamed, operands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-015',
  title: 'apt lists left in the image after install',
  severity: 'LOW',
  rationale:
    'apt-get update downloads tens of megabytes of package lists to /var/lib/apt/lists; left in the layer they only make the image bigger and stale.',
  remediation: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `RUN --mount=type=cache,target=/var/lib/apt/lists`.',
  references: [`${HADOLINT_WIKI}DL3009`, DOCKLE],
  aliases: ['DL3009', 'DKL-DI-0005'],
});

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    // Only stages that end up in the final image count: the last one and those it is built on.
    const kept = new Set(finalChain(df));
    const out = [];
    for (const { instr, script } of runs(df)) {
      if (!instr.stage || !kept.has(instr.stage)) continue;
      const installs = commandsNamed(script, APT).some((c) => operands(c, ['install'], APT_VALUED) !== null);
      if (!installs || hasCacheMount(instr, ['/var/lib/apt/lists', '/var/lib/apt'])) continue;
      const cleaned = commandsNamed(script, 'rm').some((c) => c.args.some((a) => a.startsWith('/var/lib/apt/lists')));
      if (!cleaned) out.push(ctx.finding(meta, instr, 'apt-get install without removing /var/lib/apt/lists in the same RUN'));
    }
    return out;
  },
};

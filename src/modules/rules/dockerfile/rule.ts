import type { Rule, RuleMeta } from '../types.js';
import type { CheckContext } from './context.js';
import { runCommands, type DfInstruction, type ParsedDockerfile } from './parse.js';
import type { Script } from './shell.js';

export type DockerfileRule = Rule<ParsedDockerfile, CheckContext>;

export { BEST_PRACTICES, CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta } from '../meta.js';

/** Every RUN of every stage with its parsed script. */
export function* runs(df: ParsedDockerfile): Generator<{ instr: DfInstruction; script: Script }> {
  for (const instr of df.instructions) if (instr.keyword === 'RUN') yield { instr, script: runCommands(instr) };
}

/** A rule that looks at each RUN on its own: `test` returns a message when the RUN fails. */
export function runRule(meta: RuleMeta, test: (script: Script, instr: DfInstruction, df: ParsedDockerfile) => string | null): DockerfileRule {
  return {
    meta,
    check(df, ctx) {
      const out = [];
      for (const { instr, script } of runs(df)) {
        const message = test(script, instr, df);
        if (message !== null) out.push(ctx.finding(meta, instr, message));
      }
      return out;
    },
  };
}

/** Whether a RUN has a cache mount whose target starts with one of these paths. */
export function hasCacheMount(instr: DfInstruction, targets: string[]): boolean {
  return instr.mounts.some((m) => {
    const opts = new Map(m.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return (i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)]) as [string, string];
    }));
    const target = opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '';
    return opts.get('type') === 'cache' && targets.some((t) => target === t || target.startsWith(`${t.replace(/\/$/, '')}/`) || t.startsWith(`${target.replace(/\/$/, '')}/`));
  });
}

/** Packages named on `apt-get install` / `apt install` command lines. */
export const APT = ['apt-get', 'apt'];
export const APT_VALUED = ['o', 'c', 't', 'target-release', 'default-release', 'option', 'config-file'];

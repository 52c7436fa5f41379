import { HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import { runCommands, type Stage } from '../parse.js';


export const meta = defineMeta({
  id: 'BW-DF-026',
  title: 'RUN with a pipe and no pipefail',
  severity: 'LOW',
  rationale:
    'A pipeline\'s status is its last command\'s: `curl ... | tar x` succeeds even when the download fails, and the build goes on with a broken layer.',
  remediation: 'Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (or /bin/ash on Alpine) before the RUN, or start the RUN with `set -o pipefail &&`.',
  references: [`${HADOLINT_WIKI}DL4006`],
  aliases: ['DL4006'],
});

const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash']);
const NON_POSIX = /^(pwsh|powershell|cmd)(\.exe)?$/i;

/** Whether a SHELL's words turn pipefail on (or name a non-POSIX shell the rule does not apply to). */
function shellSafe(words: string[]): boolean {
  const name = (words[0] ?? '').split(/[\\/]/).pop() ?? '';
  if (NON_POSIX.test(name)) return true;
  if (!PIPEFAIL_SHELLS.has(name)) return false;
  return words.some((w, i) => /^-[a-z]*o$/.test(w) && words[i + 1] === 'pipefail');
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    const safeAtEnd = new Map<Stage, boolean>();
    for (const stage of df.stages) {
      // SHELL is image configuration: a stage built on an earlier one inherits it.
      let safe = stage.parent ? (safeAtEnd.get(stage.parent) ?? false) : false;
      for (const instr of stage.instructions) {
        if (instr.keyword === 'SHELL') safe = shellSafe(instr.exec ?? []);
        if (instr.keyword !== 'RUN' || safe || instr.exec) continue;
        const script = runCommands(instr);
        const piped = script.pipelines.findIndex((p) => p.commands.length > 1);
        if (piped < 0) continue;
        const setBefore = script.pipelines.slice(0, piped).some((p) => p.commands.some((c) => c.name === 'set' && c.args.some((a, i) => /^-[a-z]*o$/.test(a) && c.args[i + 1] === 'pipefail')));
        if (!setBefore) out.push(ctx.finding(meta, instr, 'RUN has a pipe but pipefail is not set'));
      }
      safeAtEnd.set(stage, safe);
    }
    return out;
  },
};

import { HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import { runCommands, type DfInstruction } from '../parse.js';

export const meta = defineMeta({
  id: 'BW-DF-025',
  title: 'Consecutive RUN instructions',
  severity: 'LOW',
  rationale:
    'Each RUN makes a layer: files created in one RUN and deleted in the next still ship in the image, and state such as package lists goes stale between them.',
  remediation: 'Chain related commands in one RUN with `&&` (and clean up in the same RUN).',
  references: [`${HADOLINT_WIKI}DL3059`],
  aliases: ['DL3059'],
});

function flagKey(i: DfInstruction): string {
  return JSON.stringify([...i.flags.entries()].sort());
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const stage of df.stages) {
      let prev: DfInstruction | null = null;
      for (const instr of stage.instructions) {
        if (instr.keyword === 'RUN' && prev?.keyword === 'RUN') {
          // Like hadolint: RUNs that already chain several commands are taken as a deliberate split.
          const single = (i: DfInstruction): boolean => runCommands(i).commands.length < 2;
          if (flagKey(prev) === flagKey(instr) && single(prev) && single(instr)) {
            out.push(ctx.finding(meta, instr, 'RUN follows another RUN; consider one RUN'));
          }
        }
        prev = instr;
      }
    }
    return out;
  },
};

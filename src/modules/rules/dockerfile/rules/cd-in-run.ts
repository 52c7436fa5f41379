import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-012',
  title: 'cd in RUN instead of WORKDIR',
  severity: 'LOW',
  rationale: 'A cd lasts only for its RUN; later instructions silently run elsewhere. WORKDIR is explicit and persists.',
  remediation: 'Set the directory with `WORKDIR /path`, or use the command\'s own directory option (`make -C`, `git -C`).',
  references: [`${HADOLINT_WIKI}DL3003`],
  aliases: ['DL3003'],
});

export const rule = runRule(meta, (script) => (script.commands.some((c) => c.name === 'cd') ? 'RUN changes directory with cd' : null));

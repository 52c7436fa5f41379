import { DOCKLE, HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-013',
  title: 'sudo in RUN',
  severity: 'MEDIUM',
  rationale:
    'sudo in a build means sudo is installed in the image, a privilege-escalation path at run time, and its TTY and signal handling behave unpredictably in containers.',
  remediation: 'Switch users with USER for the steps that need root, and do not install sudo; use gosu or su-exec at run time if a step must drop privileges.',
  references: [`${HADOLINT_WIKI}DL3004`, DOCKLE],
  aliases: ['DL3004', 'DKL-DI-0001'],
});

export const rule = runRule(meta, (script) =>
  script.commands.some((c) => c.name === 'sudo' || c.wrappers.includes('sudo')) ? 'RUN uses sudo' : null,
);

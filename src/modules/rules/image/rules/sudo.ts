import { BEST_PRACTICES, DOCKLE, HADOLINT_WIKI, defineMeta } from '../rule.js';
import { toolRule } from './tool-rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-003',
  title: 'sudo installed',
  severity: 'MEDIUM',
  rationale:
    'sudo (or doas) in an image is a ready privilege-escalation path from the container user to root, and its TTY and signal handling behave unpredictably in containers.',
  remediation: 'Remove sudo from the final image; do root-only steps at build time, or drop privileges at start with gosu or su-exec.',
  references: [`${BEST_PRACTICES}#user`, `${HADOLINT_WIKI}DL3004`, DOCKLE],
  aliases: ['DKL-DI-0001', 'DL3004'],
});

export const rule = toolRule(meta, ['privilege'], (_tool, what) => `Privilege-escalation tool in the image: ${what}`);

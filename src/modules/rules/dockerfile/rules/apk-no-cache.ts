import { DOCKLE, HADOLINT_WIKI, defineMeta, hasCacheMount, runRule } from '../rule.js';
import { commandsNamed, hasFlag, operands } from '../shell.js';
import { APK_VALUED } from './apk-pin.js';

export const meta = defineMeta({
  id: 'BW-DF-021',
  title: 'apk add without --no-cache',
  severity: 'LOW',
  rationale: 'Without --no-cache apk keeps its package index in /var/cache/apk, dead weight in the layer.',
  remediation: 'Use `apk add --no-cache ...` (then no `apk update` or cache cleanup is needed).',
  references: [`${HADOLINT_WIKI}DL3019`, DOCKLE],
  aliases: ['DL3019', 'DKL-DI-0004'],
});

export const rule = runRule(meta, (script, instr) => {
  if (hasCacheMount(instr, ['/var/cache/apk', '/etc/apk/cache'])) return null;
  for (const c of commandsNamed(script, 'apk')) {
    if (operands(c, ['add'], APK_VALUED) !== null && !hasFlag(c, [], ['no-cache'])) return 'apk add without --no-cache';
  }
  return null;
});

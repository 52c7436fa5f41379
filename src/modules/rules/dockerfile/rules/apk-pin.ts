import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, operands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-020',
  title: 'apk add without pinned versions',
  severity: 'LOW',
  rationale: 'Unpinned apk packages make builds unreproducible: each build may install a different version.',
  remediation: 'Pin each package, `apk add --no-cache curl=8.5.0-r0`.',
  references: [`${HADOLINT_WIKI}DL3018`],
  aliases: ['DL3018'],
});

export const APK_VALUED = ['t', 'virtual', 'X', 'repository', 'p', 'root', 'arch', 'cache-dir', 'keys-dir', 'repositories-file', 'wait', 'cache-max-age', 'timeout'];

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, 'apk')) {
    const pkgs = operands(c, ['add'], APK_VALUED) ?? [];
    const unpinned = pkgs.filter((p) => !/[=<>~]/.test(p) && !p.includes('$') && !p.endsWith('.apk'));
    if (unpinned.length) return `apk add without versions: ${unpinned.join(', ')}`;
  }
  return null;
});

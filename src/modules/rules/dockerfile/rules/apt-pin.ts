import { APT, APT_VALUED, HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, operands, type Script } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-014',
  title: 'apt-get install without pinned versions',
  severity: 'LOW',
  rationale: 'Unpinned packages make builds unreproducible: each build may install a different version, with different bugs and vulnerabilities.',
  remediation: 'Pin each package, `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5`, and update the pins deliberately.',
  references: [`${HADOLINT_WIKI}DL3008`],
  aliases: ['DL3008'],
});

export function aptPackages(script: Script): string[] {
  return commandsNamed(script, APT).flatMap((c) => operands(c, ['install'], APT_VALUED) ?? []);
}

export const rule = runRule(meta, (script) => {
  const unpinned = aptPackages(script).filter((p) => !p.includes('=') && !p.includes('$') && !p.endsWith('.deb') && !p.startsWith('/') && !p.startsWith('./'));
  return unpinned.length ? `apt-get install without versions: ${unpinned.join(', ')}` : null;
});

import { APT, APT_VALUED, HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, hasFlag, operands, optionValues } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-018',
  title: 'apt-get install without --no-install-recommends',
  severity: 'LOW',
  rationale: 'Recommended packages are not needed to run the software; they add size and attack surface.',
  remediation: 'Use `apt-get install -y --no-install-recommends ...` and add what is actually needed by name.',
  references: [`${HADOLINT_WIKI}DL3015`],
  aliases: ['DL3015'],
});

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, APT)) {
    if (operands(c, ['install'], APT_VALUED) === null) continue;
    const viaOption = optionValues(c, ['o', 'option']).some((v) => /^APT::Install-Recommends=(false|0|no)$/i.test(v));
    if (!viaOption && !hasFlag(c, [], ['no-install-recommends'])) return `${c.name} install without --no-install-recommends`;
  }
  return null;
});

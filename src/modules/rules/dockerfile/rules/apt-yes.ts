import { APT, APT_VALUED, HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, hasFlag, operands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-017',
  title: 'apt-get install without -y',
  severity: 'LOW',
  rationale: 'Without -y apt-get waits for a confirmation no one can give, and the build fails or hangs.',
  remediation: 'Use `apt-get install -y` (or --yes, --assume-yes, -qq).',
  references: [`${HADOLINT_WIKI}DL3014`],
  aliases: ['DL3014'],
});

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, APT)) {
    if (operands(c, ['install'], APT_VALUED) === null) continue;
    const quiet2 = c.args.some((a) => /^-[A-Za-z]*q[A-Za-z]*q/.test(a) || a === '-q=2' || a === '--quiet=2');
    if (!quiet2 && !hasFlag(c, ['y'], ['yes', 'assume-yes'])) return `${c.name} install without -y`;
  }
  return null;
});

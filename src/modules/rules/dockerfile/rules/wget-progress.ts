import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, hasFlag } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-024',
  title: 'wget without a progress option',
  severity: 'LOW',
  rationale: 'wget\'s default progress output writes a line per fraction of a percent: large downloads bloat build logs by megabytes.',
  remediation: 'Use `wget --progress=dot:giga <url>`, or `-q` / `-nv`.',
  references: [`${HADOLINT_WIKI}DL3047`],
  aliases: ['DL3047'],
});

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, 'wget')) {
    const quiet = hasFlag(c, ['q', 'o', 'a'], ['progress', 'quiet', 'output-file', 'append-output', 'no-verbose']) || c.args.includes('-nv');
    if (!quiet) return 'wget without --progress, -q or -nv';
  }
  return null;
});

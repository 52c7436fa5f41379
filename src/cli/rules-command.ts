import { Command, Option } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { allRulePacks } from '../modules/rules/registry.js';
import type { RuleMeta } from '../modules/rules/types.js';
import { formatTable, plainStyle } from '../report/text-table.js';
import { writeOutput } from './write-output.js';

type RulesFlags = { pack?: string; format: string; output?: string };

function rows(packs: { id: string; rules: RuleMeta[] }[]): string[][] {
  return packs.flatMap((p) => p.rules.map((r) => [r.id, p.id, r.severity, r.title, r.aliases.join(' ')]));
}

async function run(flags: RulesFlags): Promise<void> {
  const known = allRulePacks();
  const wanted = flags.pack?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of wanted ?? []) {
    if (!known.some((p) => p.id === id)) throw new BulwarkError('E_USAGE', `--pack "${id}": expected ${known.map((p) => p.id).join(', ')}`);
  }
  const packs = known.filter((p) => !wanted || wanted.includes(p.id)).map((p) => ({ id: p.id, rules: p.rules() }));
  let text: string;
  if (flags.format === 'json') {
    text = `${JSON.stringify({ packs: packs.map((p) => ({ id: p.id, rules: p.rules })) }, null, 2)}\n`;
  } else {
    const width = process.stdout.isTTY && !flags.output ? process.stdout.columns : 200;
    text = `${formatTable(
      [{ header: 'ID' }, { header: 'PACK' }, { header: 'SEVERITY' }, { header: 'TITLE', flexible: true, minWidth: 30 }, { header: 'ALIASES', flexible: true }],
      rows(packs),
      width,
      plainStyle,
    ).join('\n')}\n`;
  }
  await writeOutput(text, flags.output);
}

export function rulesCommand(): Command {
  return new Command('rules')
    .description('list the rules of every check pack: id, severity, title and cross-reference ids (CIS, Dockle, hadolint)')
    .option('--pack <list>', 'only these packs, comma-separated')
    .addOption(new Option('-f, --format <format>', 'output format; json carries rationale, remediation and references').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((flags: RulesFlags) => run(flags));
}

import type { RuleMeta } from '../types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/rules/dockerfile.md, generated from the rules' metadata. */
export function renderRulesMarkdown(rules: RuleMeta[]): string {
  const out = [
    '# Dockerfile rules',
    '',
    '<!-- Generated from the rule metadata in src/modules/rules/dockerfile/rules/; do not edit by hand.',
    '     Regenerate: node --import tsx test/rules/dockerfile/gen-docs.ts -->',
    '',
    'Inline ignores: a comment line directly above an instruction, `# bulwark ignore=BW-DF-014,BW-DF-018`',
    'or hadolint\'s `# hadolint ignore=DL3008,DL3015` (any id or alias below is accepted), suppresses those',
    'rules for that instruction; `# bulwark global ignore=...` (or `# hadolint global ignore=...`) for the whole file.',
    '',
    '| id | severity | title | aliases |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${r.aliases.join(', ')} |`),
    '',
  ];
  for (const r of rules) {
    out.push(`## ${r.id}: ${r.title}`, '', `Severity: ${r.severity}${r.aliases.length ? `. Aliases: ${r.aliases.join(', ')}` : ''}.`, '', r.rationale, '', `**Remediation:** ${r.remediation}`, '');
    out.push('References:', '', ...r.references.map((u) => `- <${u}>`), '');
  }
  return out.join('\n');
}

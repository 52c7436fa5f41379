import type { RuleMeta } from './types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface RulePackDoc {
  title: string;
  /** The generated-file notice: where the rules live and the command that regenerates the page. */
  source: string;
  regenerate: string;
  /** Paragraph lines shown above the summary table. */
  intro: string[];
}

/** A pack's docs/rules/<pack>.md: a summary table, then each rule's rationale, remediation and references. */
export function renderRulePackMarkdown(doc: RulePackDoc, rules: readonly RuleMeta[]): string {
  const out = [
    `# ${doc.title}`,
    '',
    `<!-- Generated from the rule metadata in ${doc.source}; do not edit by hand.`,
    `     Regenerate: ${doc.regenerate} -->`,
    '',
    ...doc.intro,
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

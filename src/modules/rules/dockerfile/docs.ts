import { renderRulePackMarkdown } from '../docs.js';
import type { RuleMeta } from '../types.js';

/** docs/rules/dockerfile.md, generated from the rules' metadata. */
export function renderRulesMarkdown(rules: RuleMeta[]): string {
  return renderRulePackMarkdown(
    {
      title: 'Dockerfile rules',
      source: 'src/modules/rules/dockerfile/rules/',
      regenerate: 'node --import tsx test/rules/dockerfile/gen-docs.ts',
      intro: [
        'Inline ignores: a comment line directly above an instruction, `# bulwark ignore=BW-DF-014,BW-DF-018`',
        'or hadolint\'s `# hadolint ignore=DL3008,DL3015` (any id or alias below is accepted), suppresses those',
        'rules for that instruction; `# bulwark global ignore=...` (or `# hadolint global ignore=...`) for the whole file.',
      ],
    },
    rules,
  );
}

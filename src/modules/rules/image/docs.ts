import { renderRulePackMarkdown } from '../docs.js';
import type { RuleMeta } from '../types.js';

/** docs/rules/image.md, generated from the rules' metadata. */
export function renderRulesMarkdown(rules: RuleMeta[]): string {
  return renderRulePackMarkdown(
    {
      title: 'Image rules',
      source: 'src/modules/rules/image/rules/',
      regenerate: 'node --import tsx test/rules/image/gen-docs.ts',
      intro: [
        'Checked on built images (`bulwark image ... --scanners misconfig`), whatever the image source. Aliases are',
        'the same checks elsewhere: CIS Docker Benchmark section 4 (`CIS-DOCKER-4.x`), Dockle (`CIS-DI-*`, `DKL-*`)',
        'and hadolint (`DL*`). Parent OS end-of-life dates come from data/eol/ (for Debian the end of LTS, whose',
        'updates come from the same security archive).',
      ],
    },
    rules,
  );
}

// Writes docs/rules/dockerfile.md from the rule metadata: node --import tsx test/rules/dockerfile/gen-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown } from '../../../src/modules/rules/dockerfile/docs.js';
import { rules } from '../../../src/modules/rules/dockerfile/index.js';

export const DOC_PATH = fileURLToPath(new URL('../../../docs/rules/dockerfile.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DOC_PATH, renderRulesMarkdown(rules()));
  console.log(`wrote ${DOC_PATH}`);
}

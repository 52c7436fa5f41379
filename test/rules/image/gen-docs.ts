// Writes docs/rules/image.md from the rule metadata: node --import tsx test/rules/image/gen-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderImageRulesMarkdown } from '../../../src/modules/rules/image/index.js';

export const DOC_PATH = fileURLToPath(new URL('../../../docs/rules/image.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DOC_PATH, renderImageRulesMarkdown());
  console.log(`wrote ${DOC_PATH}`);
}

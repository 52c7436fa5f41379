// Writes docs/rules/secrets.md from the rule data: node --import tsx test/secrets/gen-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSecretRulesMarkdown, SECRET_RULES } from '../../src/modules/secrets/index.js';

export const DOC_PATH = fileURLToPath(new URL('../../docs/rules/secrets.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DOC_PATH, renderSecretRulesMarkdown(SECRET_RULES));
  console.log(`wrote ${DOC_PATH}`);
}

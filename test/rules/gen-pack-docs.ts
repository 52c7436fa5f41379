// Writes docs/rules/{pss,k8s-*,cloud,registry-audit}.md from the rule metadata: node --import tsx test/rules/gen-pack-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPackDocs } from '../../src/modules/rules/pack-docs.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const page of renderPackDocs()) {
    writeFileSync(REPO_ROOT + page.file, page.text);
    console.log(`wrote ${page.file}`);
  }
}

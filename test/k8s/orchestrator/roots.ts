import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const ROOT_FIXTURES = fileURLToPath(new URL('../../fixtures/k8s/root/', import.meta.url));

let scratch: string | undefined;
let n = 0;

/** A node root with the given files (host path -> text), optionally starting from a copy of a fixture root. */
export function makeRoot(files: Record<string, string>, from?: 'hardened' | 'insecure'): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'bw-k8s-root-'));
    scratch = dir;
    after(() => rmSync(dir, { recursive: true, force: true }));
  }
  const root = join(scratch, `r${n++}`);
  mkdirSync(root, { recursive: true });
  if (from) cpSync(join(ROOT_FIXTURES, from), root, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

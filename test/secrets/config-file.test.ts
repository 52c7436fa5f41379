import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { loadSecretConfig } from '../../src/modules/secrets/config-file.js';
import { scanSecretsInText } from '../../src/modules/secrets/index.js';
import { ALNUM, fake } from './fake.js';

describe('--secret-config files', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'bulwark-secret-config-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('loads rules, path globs and value regexes, which then allow findings', async () => {
    const token = `ghp_${fake('config-file/gh', ALNUM, 36)}`;
    const text = `GITHUB_TOKEN=${token}\n`;
    assert.equal(scanSecretsInText(text, { target: 't', path: '/app/.env' }).length, 1, 'found without an allow list');
    const byPath = loadSecretConfig(await file('paths.yaml', 'allow:\n  paths: ["app/*.env", "**/.env"]\n'));
    assert.deepEqual(scanSecretsInText(text, { target: 't', path: '/app/.env' }, byPath), []);
    assert.equal(scanSecretsInText(text, { target: 't', path: '/srv/config' }, byPath).length, 1, 'other paths still scanned');
    const byValue = loadSecretConfig(await file('values.yaml', `allow:\n  values: ["^${token.slice(0, 10)}"]\n`));
    assert.deepEqual(scanSecretsInText(text, { target: 't', path: '/x' }, byValue), []);
    const found = scanSecretsInText(text, { target: 't', path: '/x' })[0]!;
    const byRule = loadSecretConfig(await file('rules.json', JSON.stringify({ allow: { rules: [found.id] } })));
    assert.deepEqual(scanSecretsInText(text, { target: 't', path: '/x' }, byRule), []);
    assert.deepEqual(loadSecretConfig(await file('empty.yaml', '')), {});
  });

  it('rejects unknown keys, bad regexes, malformed YAML and missing files in one line naming the file', async () => {
    const cases: [string, string, RegExp][] = [
      ['typo.yaml', 'allow:\n  path: ["x"]\n', /typo\.yaml: allow: Unrecognized key/],
      ['top.yaml', 'alow: {}\n', /top\.yaml: \(root\): Unrecognized key/],
      ['regex.yaml', 'allow:\n  values: ["(unclosed"]\n', /regex\.yaml: allow\.values\[0\]: not a regular expression/],
      ['broken.yaml', 'allow: [\n', /broken\.yaml: not valid YAML/],
      ['type.yaml', 'allow:\n  rules: BW-SEC-001\n', /type\.yaml: allow\.rules: Expected array/],
    ];
    for (const [name, text, pattern] of cases) {
      const path = await file(name, text);
      assert.throws(() => loadSecretConfig(path), (e: unknown) => e instanceof BulwarkError && pattern.test(e.message) && !e.message.includes('\n'), name);
    }
    assert.throws(() => loadSecretConfig(join(dir, 'absent.yaml')), /absent\.yaml: no such file/);
  });
});

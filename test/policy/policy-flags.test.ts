import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { addPolicyFlags, exitCodeFrom, policyFrom, type PolicyFlags } from '../../src/cli/policy-flags.js';
import { BulwarkError } from '../../src/core/errors.js';
import { tempFiles } from './findings.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function parse(args: string[]): PolicyFlags {
  const command = addPolicyFlags(new Command('image')).exitOverride().configureOutput({ writeErr: () => {} });
  command.parse(args, { from: 'user' });
  return command.opts<PolicyFlags>();
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BulwarkError, String(e));
    assert.equal(e.code, 'E_USAGE');
    return e.message;
  }
  assert.fail('expected a usage error');
}

const emptyDir = () => {
  const d = tempFiles({});
  dirs.push(d);
  return d;
};

const OPENVEX = JSON.stringify({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  timestamp: '2024-01-01T00:00:00Z',
  statements: [{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:npm/x' }], status: 'fixed' }],
});

describe('addPolicyFlags + policyFrom', () => {
  it('defaults to no filtering, exit code 0, and no ignore file when none is present', () => {
    const flags = parse([]);
    assert.deepEqual(policyFrom(flags, { cwd: emptyDir() }), {});
    assert.equal(exitCodeFrom(flags), 0);
  });

  it('reads --severity case-insensitively, with repeats adding up', () => {
    assert.deepEqual(policyFrom(parse(['--severity', 'critical,High']), { cwd: emptyDir() }).severities, ['CRITICAL', 'HIGH']);
    assert.deepEqual(policyFrom(parse(['--severity', 'LOW', '--severity', 'unknown']), { cwd: emptyDir() }).severities, ['LOW', 'UNKNOWN']);
  });

  it('rejects an unknown or empty severity', () => {
    assert.equal(usageError(() => policyFrom(parse(['--severity', 'HIGH,SEVERE']))), '--severity "SEVERE": expected CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN');
    assert.match(usageError(() => policyFrom(parse(['--severity', ',']))), /^--severity: expected one or more/);
  });

  it('reads --ignore-unfixed, --ignore-status and --show-suppressed', () => {
    const policy = policyFrom(parse(['--ignore-unfixed', '--ignore-status', 'will_not_fix,END-OF-LIFE', '--show-suppressed']), { cwd: emptyDir() });
    assert.deepEqual(policy, { ignoreUnfixed: true, ignoreStatuses: ['will_not_fix', 'end_of_life'], showSuppressed: true });
  });

  it('rejects an unknown status', () => {
    assert.match(usageError(() => policyFrom(parse(['--ignore-status', 'wontfix']))), /^--ignore-status "wontfix": expected fixed, affected, will_not_fix/);
  });

  it('validates --exit-code', () => {
    assert.equal(exitCodeFrom(parse(['--exit-code', '1'])), 1);
    assert.equal(exitCodeFrom(parse(['--exit-code', '255'])), 255);
    for (const bad of ['-1', '256', '1.5', 'one', '']) {
      assert.match(usageError(() => exitCodeFrom(parse(['--exit-code', bad]))), /^--exit-code ".*": expected an integer from 0 to 255$/, bad);
    }
    assert.match(usageError(() => policyFrom(parse(['--exit-code', 'x']))), /^--exit-code/);
  });

  it('loads .bulwarkignore.yaml from the working directory when no --ignorefile is given', () => {
    const dir = tempFiles({ '.bulwarkignore.yaml': 'ignores:\n  - id: CVE-1\n' });
    dirs.push(dir);
    const policy = policyFrom(parse([]), { cwd: dir });
    assert.deepEqual(policy.ignoreFiles, [{ file: '.bulwarkignore.yaml', entries: [{ id: 'CVE-1', line: 2 }] }]);
  });

  it('takes repeated --ignorefile instead of the default file', () => {
    const dir = tempFiles({ '.bulwarkignore.yaml': '- id: DEFAULT\n', 'a.yaml': '- id: A\n', 'b.yaml': '- id: B\n' });
    dirs.push(dir);
    const policy = policyFrom(parse(['--ignorefile', join(dir, 'a.yaml'), '--ignorefile', join(dir, 'b.yaml')]), { cwd: dir });
    assert.deepEqual(policy.ignoreFiles?.map((r) => r.entries[0]?.id), ['A', 'B']);
  });

  it('makes an explicit missing --ignorefile or --vex a usage error naming the flag and file', () => {
    const dir = emptyDir();
    assert.equal(usageError(() => policyFrom(parse(['--ignorefile', join(dir, 'nope.yaml')]))), `--ignorefile ${join(dir, 'nope.yaml')}: no such file`);
    assert.equal(usageError(() => policyFrom(parse(['--vex', join(dir, 'nope.json')]))), `--vex ${join(dir, 'nope.json')}: no such file`);
  });

  it('passes a malformed ignore file through as E_FORMAT with its line', () => {
    const dir = tempFiles({ 'bad.yaml': 'ignores:\n  - id: CVE-1\n    expires: soon\n' });
    dirs.push(dir);
    assert.throws(
      () => policyFrom(parse(['--ignorefile', join(dir, 'bad.yaml')])),
      (e: unknown) => e instanceof BulwarkError && e.code === 'E_FORMAT' && e.message.startsWith(`${join(dir, 'bad.yaml')}:3: `),
    );
  });

  it('loads every --vex document', () => {
    const dir = tempFiles({ 'a.json': OPENVEX, 'b.json': OPENVEX });
    dirs.push(dir);
    const policy = policyFrom(parse(['--vex', join(dir, 'a.json'), '--vex', join(dir, 'b.json')]), { cwd: dir });
    assert.deepEqual(policy.vex?.map((d) => [d.file, d.format]), [[join(dir, 'a.json'), 'openvex'], [join(dir, 'b.json'), 'openvex']]);
  });

  it('passes the injected clock on', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    assert.equal(policyFrom(parse([]), { cwd: emptyDir(), now }).now, now);
  });

  it('shows the flags in help', () => {
    const help = addPolicyFlags(new Command('image')).helpInformation();
    for (const flag of ['--severity <list>', '--ignore-unfixed', '--ignore-status <list>', '--exit-code <n>', '--ignorefile <path>', '--vex <path>', '--show-suppressed']) {
      assert.ok(help.includes(flag), flag);
    }
  });
});

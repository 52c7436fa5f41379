import assert from 'node:assert/strict';
import { SEVERITIES } from '../../src/core/finding.js';
import type { RuleMeta } from '../../src/modules/rules/types.js';

/** The cross-reference ids a Dockerfile or image rule may carry: hadolint, CIS Docker Benchmark 4.x, Dockle. */
export const CHECK_ALIAS = /^(DL\d{4}|CIS-DOCKER-4\.\d+|CIS-DI-\d{4}|DKL-(DI|LI)-\d{4})$/;

/** What every pack's rule metadata must satisfy: the contract `bulwark rules`, the docs and SARIF rely on. */
export function assertMetaContract(all: readonly RuleMeta[], idPattern: RegExp, aliasOk: (alias: string) => boolean): void {
  for (const r of all) {
    assert.match(r.id, idPattern);
    assert.ok(SEVERITIES.includes(r.severity) && r.severity !== 'UNKNOWN', `${r.id} severity`);
    for (const k of ['title', 'rationale', 'remediation'] as const) assert.ok(r[k].trim().length > 10, `${r.id} ${k}`);
    assert.ok(!r.title.endsWith('.'), `${r.id} title has no trailing period`);
    assert.ok(r.references.length > 0, `${r.id} references`);
    for (const u of r.references) assert.match(u, /^https:\/\/\S+$/, `${r.id} reference ${u}`);
    assert.deepEqual(r.aliases, [...new Set(r.aliases)].sort(), `${r.id} aliases sorted and unique`);
    for (const a of r.aliases) assert.ok(aliasOk(a), `${r.id} alias ${a}`);
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listedSpdxId, spdxExpression } from '../../src/report/licenses.js';
import { spdxExpressionProblems } from './helpers.js';

const cases: [string, string][] = [
  // DEP-5 short names (dpkg copyright files)
  ['GPL-2', 'GPL-2.0-only'],
  ['GPL-2+', 'GPL-2.0-or-later'],
  ['LGPL-2', 'LGPL-2.0-only'],
  ['LGPL-2.1+', 'LGPL-2.1-or-later'],
  ['GFDL-1.2+', 'GFDL-1.2-or-later'],
  ['Expat', 'MIT'],
  ['BSD-3-clause', 'BSD-3-Clause'],
  ['Artistic', 'Artistic-1.0'],
  ['GPL-1+ or Artistic', 'GPL-1.0-or-later OR Artistic-1.0'],
  ['GPL-3+ with GCC-exception-3.1', 'GPL-3.0-or-later WITH GCC-exception-3.1'],
  ['GPL-2+ with OpenSSL exception', 'LicenseRef-GPL-2-with-OpenSSL-exception'],
  ['public-domain', 'LicenseRef-public-domain'],
  // Fedora legacy names (older RPMs)
  ['GPLv2+', 'GPL-2.0-or-later'],
  ['GPLv3', 'GPL-3.0-only'],
  ['GPL+', 'GPL-1.0-or-later'],
  ['LGPLv2+', 'LGPL-2.1-or-later'],
  ['LGPLv2.1', 'LGPL-2.1-only'],
  ['ASL 2.0', 'Apache-2.0'],
  ['MPLv2.0', 'MPL-2.0'],
  ['BSD', 'LicenseRef-BSD'],
  ['(GPL+ or Artistic) and MIT', '(GPL-1.0-or-later OR Artistic-1.0) AND MIT'],
  ['GPLv2 or GPLv3 and MIT', 'GPL-2.0-only OR GPL-3.0-only AND MIT'],
  // SPDX already (apk, new RPMs); deprecated ids become current ones
  ['MIT', 'MIT'],
  ['mpl-2.0 AND mit', 'MPL-2.0 AND MIT'],
  ['GPL-2.0+', 'GPL-2.0-or-later'],
  ['GPL-2.0-or-later', 'GPL-2.0-or-later'],
  ['Apache-2.0+', 'Apache-2.0+'],
  ['LicenseRef-Custom-1', 'LicenseRef-Custom-1'],
  // Malformed input is kept as one reference rather than guessed at
  ['(MIT', 'LicenseRef-MIT'],
  ['MIT and', 'LicenseRef-MIT-and'],
  ['Apache License, Version 2.0', 'LicenseRef-Apache-License AND LicenseRef-Version-2.0'],
];

describe('licence mapping', () => {
  for (const [raw, expected] of cases) {
    it(`${raw} -> ${expected}`, () => {
      const expression = spdxExpression([raw]);
      assert.equal(expression, expected);
      assert.deepEqual(spdxExpressionProblems(expected), []);
    });
  }

  it('joins several licences with AND, parenthesising ORs and dropping duplicates', () => {
    assert.equal(spdxExpression(['GPL-2+ or Artistic', 'MIT', 'Expat']), '(GPL-2.0-or-later OR Artistic-1.0) AND MIT');
    assert.equal(spdxExpression([]), undefined);
    assert.equal(spdxExpression(['  ']), undefined);
  });

  it('uses the LicenseRef ids the caller hands out', () => {
    assert.equal(spdxExpression(['Foo', 'MIT'], (t) => `LicenseRef-x-${t.length}`), 'LicenseRef-x-3 AND MIT');
  });

  it('listedSpdxId accepts only single listed ids', () => {
    assert.equal(listedSpdxId('GPLv2+'), 'GPL-2.0-or-later');
    assert.equal(listedSpdxId('Apache-2.0+'), undefined);
    assert.equal(listedSpdxId('MIT or BSD-2-Clause'), undefined);
    assert.equal(listedSpdxId('Public Domain'), undefined);
  });
});

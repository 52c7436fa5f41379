/**
 * Scheme-specific rules that the shared contract's vectors do not spell out: conversions, the reasons
 * given for rejections, and cases taken from the upstream implementations' own tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnparseableVersionError } from '../../src/core/errors.js';
import { getVersionScheme } from '../../src/modules/versioning/api.js';
import { normalizeComposerVersion } from '../../src/modules/versioning/composer/index.js';
import { goTagToSemver } from '../../src/modules/versioning/go/index.js';
import type { VersionSchemeId } from '../../src/modules/versioning/types.js';

const cmp = (id: VersionSchemeId, a: string, b: string): number => Math.sign(getVersionScheme(id).compare(a, b));

describe('maven (cases from Maven ComparableVersionTest)', () => {
  it('1.0.0.X1 < 1.0.0-X2 and 2-X == 2.0.X == 2.0.0.X for any qualifier X (MNG-7644)', () => {
    for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
      assert.equal(cmp('maven', `1.0.0.${x}1`, `1.0.0-${x}2`), -1, x);
      assert.equal(cmp('maven', `2-${x}`, `2.0.${x}`), 0, x);
      assert.equal(cmp('maven', `2.0.${x}`, `2.0.0.${x}`), 0, x);
    }
  });

  it('"-0.alpha" sublists stay below the release (MNG-6964) and sp qualifiers above final (MNG-7714)', () => {
    assert.equal(cmp('maven', '1-0.alpha', '1'), -1);
    assert.equal(cmp('maven', '1-0.beta', '1'), -1);
    assert.equal(cmp('maven', '1-0.alpha', '1-0.beta'), -1);
    for (const sp of ['1.0-sp1-redhat', '1.0-sp-1-redhat', '1.0-sp.1-redhat']) assert.equal(cmp('maven', '1.0.final-redhat', sp), -1, sp);
  });

  it('keeps sort order transitive around unusual letters (MNG-5568) and huge numbers (MNG-6572)', () => {
    assert.equal(cmp('maven', '6.1.0rc3', '6.1.0'), -1);
    assert.equal(cmp('maven', '6.1.0rc3', '6.1H.5-beta'), -1);
    assert.equal(cmp('maven', '6.1.0', '6.1H.5-beta'), -1);
    assert.equal(cmp('maven', '123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'), -1);
  });

  it('compares number items of different widths by width, as Int/Long/BigInteger items do', () => {
    assert.equal(cmp('maven', '1.0000000000.1', '1.0.1'), 1);
    assert.equal(cmp('maven', '1.0000000000', '1.0'), 0);
  });
});

describe('go', () => {
  it('converts toolchain tags as golang.org/x/vuln does', () => {
    assert.equal(goTagToSemver('go1.21.3'), '1.21.3');
    assert.equal(goTagToSemver('go1.21'), '1.21.0');
    assert.equal(goTagToSemver('go1.21rc2'), '1.21.0-rc.2');
    assert.equal(goTagToSemver('go1.13beta1'), '1.13.0-beta.1');
    assert.equal(goTagToSemver('go1.9.2 X:boringcrypto'), '1.9.2');
    assert.equal(goTagToSemver('go1'), '1.0.0');
    assert.equal(goTagToSemver('go1.0'), undefined);
    assert.equal(goTagToSemver('devel +abcdef'), undefined);
  });

  it('orders pseudo-versions before their base release and ignores +incompatible', () => {
    assert.equal(cmp('go', 'v1.2.4-0.20230101000000-abcdef123456', 'v1.2.4'), -1);
    assert.equal(cmp('go', 'v1.2.4-0.20230101000000-abcdef123456', 'v1.2.3'), 1);
    assert.equal(cmp('go', 'v2.0.0+incompatible', '2.0.0'), 0);
    assert.equal(cmp('go', 'v1.2.3-pre.1.0.20230101000000-abcdef123456', 'v1.2.3-pre.1'), 1);
  });

  it('rejects a prerelease number too large to compare exactly', () => {
    assert.equal(getVersionScheme('go').isValid('v1.0.0-9007199254740993'), false);
    assert.equal(getVersionScheme('go').isValid('v1.0.0-9007199254740990'), true);
  });
});

describe('composer', () => {
  it('normalises as VersionParser::normalize()', () => {
    const cases: [string, string | undefined][] = [
      ['1.0.0', '1.0.0.0'],
      ['v1.2', '1.2.0.0'],
      ['1.0.0-b2', '1.0.0.0-beta2'],
      ['1.0.0-rc.1', '1.0.0.0-RC1'],
      ['1.0.0-pl3', '1.0.0.0-patch3'],
      ['1.0-beta.2-dev', '1.0.0.0-beta2-dev'],
      ['1.0.0-stable', '1.0.0.0'],
      ['1.0.0+build', '1.0.0.0'],
      ['2.1.x-dev', '2.1.9999999.9999999-dev'],
      ['2.x-dev', '2.9999999.9999999.9999999-dev'],
      ['2023-01-15', '2023.01.15'],
      ['1.0.0 as 2.0.0', '1.0.0.0'],
      ['dev-main', 'dev-main'],
      ['master', 'dev-master'],
      ['1.0.0-foo', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeComposerVersion(input), expected, input);
  });

  it('never orders a branch: dev-main fails closed', () => {
    assert.throws(() => getVersionScheme('composer').compare('dev-main', '1.0.0'), /branch name/);
  });
});

describe('nuget', () => {
  it('orders numeric labels numerically, before alphanumeric ones, case-insensitively otherwise', () => {
    assert.equal(cmp('nuget', '1.0.0-2', '1.0.0-10'), -1);
    assert.equal(cmp('nuget', '1.0.0-10', '1.0.0-a'), -1);
    assert.equal(cmp('nuget', '1.0.0-ALPHA', '1.0.0-beta'), -1);
    assert.equal(cmp('nuget', '1.0.0.1-beta', '1.0.0.1'), -1);
    assert.equal(cmp('nuget', '1.0.0.1-beta', '1.0.0'), 1);
  });
});

describe('rpm, dpkg, apk corner cases', () => {
  it('rpm: tilde before everything, caret after the end only', () => {
    assert.equal(cmp('rpm', '1.0~rc1', '1.0'), -1);
    assert.equal(cmp('rpm', '1.0^1', '1.0'), 1);
    assert.equal(cmp('rpm', '1.0^1', '1.0.1'), -1);
    assert.equal(cmp('rpm', '1.0', '1.0-1'), -1, 'a missing release sorts before any release (rpmverCmp)');
  });

  it('dpkg: a version parseversion() only warns about still fails closed', () => {
    assert.throws(() => getVersionScheme('dpkg').compare('a1.0', '1.0'), /does not start with digit/);
  });

  it('apk: a leading zero makes the component compare as a string', () => {
    assert.equal(cmp('apk', '1.01', '1.1'), -1);
    assert.equal(cmp('apk', '1.0', '1.00'), -1);
    assert.equal(cmp('apk', '1.002', '1.01'), -1);
  });
});

describe('errors', () => {
  it('say which scheme, which version and why', () => {
    try {
      getVersionScheme('pep440').compare('1.0', 'not-a-version');
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof UnparseableVersionError);
      assert.equal(e.message, 'pep440 version "not-a-version" cannot be parsed: not a PEP 440 version');
    }
  });
});

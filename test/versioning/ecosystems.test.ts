import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionSchemes } from '../../src/modules/versioning/api.js';
import { schemeForEcosystem } from '../../src/modules/versioning/ecosystems.js';

describe('schemeForEcosystem', () => {
  const cases: [string, string][] = [
    ['Debian', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['Ubuntu', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Ubuntu:Pro:18.04:LTS', 'dpkg'],
    ['Alpine', 'apk'],
    ['Alpine:v3.19', 'apk'],
    ['Wolfi', 'apk'],
    ['Chainguard', 'apk'],
    ['Red Hat', 'rpm'],
    ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
    ['AlmaLinux:9', 'rpm'],
    ['Rocky Linux:8', 'rpm'],
    ['openSUSE:Leap 15.5', 'rpm'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['Mageia:9', 'rpm'],
    ['openEuler:22.03-LTS-SP3', 'rpm'],
    ['npm', 'npm'],
    ['PyPI', 'pep440'],
    ['Go', 'go'],
    ['Maven', 'maven'],
    ['RubyGems', 'rubygems'],
    ['Packagist', 'composer'],
    ['NuGet', 'nuget'],
    ['crates.io', 'cargo'],
  ];
  for (const [ecosystem, scheme] of cases) {
    it(`${ecosystem} -> ${scheme}`, () => {
      assert.equal(schemeForEcosystem(ecosystem), scheme);
      assert.ok(versionSchemes.has(schemeForEcosystem(ecosystem)!));
    });
  }

  it('knows nothing of other ecosystems or misspellings', () => {
    for (const unknown of ['', 'debian', 'DEBIAN:12', 'Pub', 'Hex', 'Linux', 'GIT', 'OSS-Fuzz', ':12', 'toString', 'constructor', '__proto__']) {
      assert.equal(schemeForEcosystem(unknown), undefined, unknown);
    }
  });
});

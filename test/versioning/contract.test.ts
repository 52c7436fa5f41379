/**
 * The one contract every registered version scheme runs (like hono's shared router tests): where it
 * lives, its shape, and its behaviour on the vectors of test/versioning/vectors.ts: a strict order,
 * reflexivity, antisymmetry, equal spellings, and failing closed on invalid versions.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UnparseableVersionError } from '../../src/core/errors.js';
import { getVersionScheme, versionSchemes } from '../../src/modules/versioning/api.js';
import type { VersionScheme, VersionSchemeId } from '../../src/modules/versioning/types.js';
import { VECTORS } from './vectors.js';

const SCHEMES_DIR = fileURLToPath(new URL('../../src/modules/versioning/', import.meta.url));
/** Every VersionSchemeId; the Record type makes a missing one a type error. */
const ALL_IDS: Record<VersionSchemeId, true> = {
  dpkg: true,
  rpm: true,
  apk: true,
  npm: true,
  pep440: true,
  go: true,
  maven: true,
  rubygems: true,
  composer: true,
  nuget: true,
  cargo: true,
};
const MIN_ORDERED = 15;

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const show = (v: string): string => JSON.stringify(v);

describe('version scheme registry', () => {
  it('registers every scheme id exactly once, under its own id', () => {
    assert.deepEqual([...versionSchemes.keys()].sort(), Object.keys(ALL_IDS).sort());
    for (const [id, scheme] of versionSchemes) {
      assert.equal(scheme.id, id);
      assert.equal(getVersionScheme(id), scheme);
    }
  });

  it('has one folder per registered scheme and no other', () => {
    const folders = readdirSync(SCHEMES_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    assert.deepEqual(folders, [...versionSchemes.keys()].sort());
  });

  it('rejects an unknown id', () => {
    assert.throws(() => getVersionScheme('nope' as VersionSchemeId), /no version scheme/);
  });
});

for (const scheme of versionSchemes.values()) {
  const vectors = VECTORS[scheme.id];

  describe(`version scheme contract: ${scheme.id}`, () => {
    it('is exported by the index.ts of the folder named after its id', async () => {
      const file = `${SCHEMES_DIR}${scheme.id}/index.ts`;
      assert.ok(existsSync(file), `${file} is missing`);
      const module = (await import(file)) as Record<string, unknown>;
      assert.ok(Object.values(module).includes(scheme), `${scheme.id}/index.ts does not export the registered scheme`);
    });

    it('has the VersionScheme shape', () => {
      assert.equal(typeof scheme.displayName, 'string');
      assert.ok(scheme.displayName.trim().length > 0);
      assert.ok(Array.isArray(scheme.urls) && scheme.urls.length > 0);
      for (const url of scheme.urls) assert.match(url, /^https:\/\/\S+$/);
      assert.equal(typeof scheme.isValid, 'function');
      assert.equal(typeof scheme.compare, 'function');
      assert.ok(Object.isFrozen(scheme), 'a registered scheme cannot be changed by its users');
    });

    it(`accepts and strictly orders its ${vectors.ordered.length} vectors (at least ${MIN_ORDERED})`, () => {
      const { ordered } = vectors;
      assert.ok(ordered.length >= MIN_ORDERED, `only ${ordered.length} ordered vectors`);
      for (const v of ordered) assert.ok(scheme.isValid(v), `isValid(${show(v)})`);
      const wrong: string[] = [];
      for (let i = 0; i < ordered.length; i++) {
        for (let j = 0; j < ordered.length; j++) {
          const got = sign(scheme.compare(ordered[i]!, ordered[j]!));
          if (got !== sign(i - j)) wrong.push(`compare(${show(ordered[i]!)}, ${show(ordered[j]!)}) = ${got}, expected ${sign(i - j)}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('is reflexive and antisymmetric', () => {
      const all = [...vectors.ordered, ...vectors.equal.flat()];
      for (const a of all) {
        assert.equal(scheme.compare(a, a), 0, `compare(${show(a)}, itself)`);
        for (const b of all) {
          assert.equal(sign(scheme.compare(a, b)), sign(-scheme.compare(b, a)), `antisymmetry of ${show(a)} and ${show(b)}`);
        }
      }
    });

    it('treats different spellings of one version as equal, and orders them alike', () => {
      for (const group of vectors.equal) {
        for (const a of group) {
          assert.ok(scheme.isValid(a), `isValid(${show(a)})`);
          for (const b of group) assert.equal(scheme.compare(a, b), 0, `compare(${show(a)}, ${show(b)})`);
        }
        for (const v of vectors.ordered) {
          const orders = new Set(group.map((a) => sign(scheme.compare(a, v))));
          assert.equal(orders.size, 1, `the spellings ${group.map(show).join(', ')} order differently against ${show(v)}`);
        }
      }
    });

    it('fails closed on invalid versions', () => {
      const valid = vectors.ordered[0]!;
      for (const bad of vectors.invalid) {
        assert.equal(scheme.isValid(bad), false, `isValid(${show(bad)})`);
        for (const call of [() => scheme.compare(bad, valid), () => scheme.compare(valid, bad), () => scheme.compare(bad, bad)]) {
          assert.throws(call, (e: unknown) => {
            assert.ok(e instanceof UnparseableVersionError, `compare with ${show(bad)} threw ${String(e)}`);
            assert.equal(e.scheme, scheme.id);
            assert.equal(e.version, bad);
            assert.equal(e.code, 'E_FORMAT');
            return true;
          });
        }
      }
    });

    it('rejects non-strings and absurdly long strings without throwing from isValid', () => {
      const probe = scheme as VersionScheme & { isValid(v: unknown): boolean };
      assert.equal(probe.isValid(undefined), false);
      assert.equal(probe.isValid(1), false);
      assert.equal(scheme.isValid(`1${'.1'.repeat(600)}`), false);
      assert.throws(() => scheme.compare(`1${'.1'.repeat(600)}`, vectors.ordered[0]!), UnparseableVersionError);
    });
  });
}

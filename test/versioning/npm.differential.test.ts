/**
 * npm scheme vs the `semver` package it is built on, over 125,000 generated pairs whose strings are
 * made independently of the scheme (prefixes, leading zeros, prerelease and build identifiers, big
 * numbers): the scheme must accept exactly what semver.valid() accepts and order as semver.compare().
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import semver from 'semver';
import { npmScheme } from '../../src/modules/versioning/npm/index.js';
import { describeFailure, diffAgainstOracle } from './differential.js';
import { generatePairs, mutateSemver, semverVersion } from './generators.js';
import type { Verdict } from './oracles.js';
import { differentialSeed, Rng } from './prng.js';

const PAIRS = 150_000;
const MIN_COMPARED = 100_000;

describe('npm scheme vs semver', () => {
  it(`agrees with semver.valid() and semver.compare() on ${PAIRS} generated pairs`, () => {
    const seed = differentialSeed(0x0a9a_2024);
    const rng = new Rng(seed);
    const pairs = generatePairs(rng, PAIRS, () => semverVersion(rng), (v) => mutateSemver(rng, v));
    const started = performance.now();
    const verdicts: Verdict[] = pairs.map(([a, b]) => {
      const aValid = semver.valid(a) !== null;
      const bValid = semver.valid(b) !== null;
      return { aValid, bValid, cmp: aValid && bValid ? semver.compare(a, b) : 0 };
    });
    const result = diffAgainstOracle(npmScheme, pairs, verdicts, { checkValidity: true });
    const seconds = (performance.now() - started) / 1000;
    const prereleases = pairs.filter(([a, b]) => /-/.test(a) && /-/.test(b)).length;
    const builds = pairs.filter(([a, b]) => /\+/.test(a) || /\+/.test(b)).length;
    console.log(`npm differential: seed ${seed}, ${pairs.length} pairs (${prereleases} both prerelease, ${builds} with build metadata), ${result.compared} ordered, ${seconds.toFixed(2)} s`);
    assert.equal(result.disagreements.length, 0, describeFailure('npm', seed, pairs.length, result));
    assert.ok(result.compared >= MIN_COMPARED, `only ${result.compared} pairs had two valid versions`);
  });
});

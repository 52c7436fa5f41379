/**
 * rpm scheme vs rpm's own rpm.vercmp() (rpm 4.18, one `rpm --eval` Lua process over 125,000 generated
 * pairs). rpm.vercmp() orders nearly any string, so only the order of pairs the scheme accepts is
 * compared; the scheme's stricter validity is covered by the contract test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rpmScheme } from '../../src/modules/versioning/rpm/index.js';
import { describeFailure, diffAgainstOracle, skipWhenMissing } from './differential.js';
import { generatePairs, mutateRpm, rpmVersion } from './generators.js';
import { missingRpmOracle, runRpmOracle } from './oracles.js';
import { differentialSeed, Rng } from './prng.js';

const PAIRS = 125_000;
const MIN_COMPARED = 100_000;
const missing = await missingRpmOracle();

describe('rpm scheme vs rpm', { skip: skipWhenMissing(missing) }, () => {
  it(`orders ${PAIRS} generated pairs as rpm.vercmp() does`, async () => {
    assert.equal(missing, undefined, missing);
    const seed = differentialSeed(0x0c9a_2024);
    const rng = new Rng(seed);
    const pairs = generatePairs(rng, PAIRS, () => rpmVersion(rng), (v) => mutateRpm(rng, v));
    const started = performance.now();
    const verdicts = await runRpmOracle(pairs);
    const result = diffAgainstOracle(rpmScheme, pairs, verdicts, { checkValidity: false });
    const seconds = (performance.now() - started) / 1000;
    console.log(`rpm differential: seed ${seed}, ${pairs.length} pairs, ${result.compared} ordered, ${seconds.toFixed(2)} s`);
    assert.equal(result.disagreements.length, 0, describeFailure('rpm', seed, pairs.length, result));
    assert.ok(result.compared >= MIN_COMPARED, `only ${result.compared} pairs had two valid versions`);
  });
});

/**
 * pep440 scheme vs Python's `packaging` (the library pip uses), one python3 process over 125,000
 * generated pairs: validity of every version and the order of every valid pair.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pep440Scheme } from '../../src/modules/versioning/pep440/index.js';
import { describeFailure, diffAgainstOracle, skipWhenMissing } from './differential.js';
import { generatePairs, mutatePep440, pep440Version } from './generators.js';
import { findPythonWithPackaging, runPep440Oracle } from './oracles.js';
import { differentialSeed, Rng } from './prng.js';

const PAIRS = 150_000;
const MIN_COMPARED = 100_000;
const python = await findPythonWithPackaging();
const missing = python ? undefined : 'no python3 that can import packaging (apt-get install -y python3 python3-packaging)';

describe('pep440 scheme vs packaging', { skip: skipWhenMissing(missing) }, () => {
  it(`agrees with packaging.version.Version on ${PAIRS} generated pairs (validity and order)`, async () => {
    assert.equal(missing, undefined, missing);
    const seed = differentialSeed(0x0440_2024);
    const rng = new Rng(seed);
    const pairs = generatePairs(rng, PAIRS, () => pep440Version(rng), (v) => mutatePep440(rng, v));
    const started = performance.now();
    const { packagingVersion, verdicts } = await runPep440Oracle(python!, pairs);
    const result = diffAgainstOracle(pep440Scheme, pairs, verdicts, { checkValidity: true });
    const seconds = (performance.now() - started) / 1000;
    console.log(`pep440 differential: ${python} packaging ${packagingVersion}, seed ${seed}, ${pairs.length} pairs, ${result.compared} ordered, ${seconds.toFixed(2)} s`);
    assert.equal(result.disagreements.length, 0, describeFailure('pep440', seed, pairs.length, result));
    assert.ok(result.compared >= MIN_COMPARED, `only ${result.compared} pairs had two valid versions`);
  });
});

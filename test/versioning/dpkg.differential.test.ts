/**
 * dpkg scheme vs dpkg itself: 125,000 generated pairs against libdpkg's parseversion() and
 * dpkg_version_compare() (one batched process), and a spot check of a few hundred of them, and of the
 * libdpkg oracle, against the plain `dpkg --compare-versions` CLI.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dpkgScheme } from '../../src/modules/versioning/dpkg/index.js';
import { describeFailure, diffAgainstOracle, skipWhenMissing } from './differential.js';
import { dpkgVersion, generatePairs, mutateDpkg, type Pair } from './generators.js';
import { missingDpkgOracle, runDpkgCli, runDpkgOracle } from './oracles.js';
import { differentialSeed, Rng } from './prng.js';

const PAIRS = 125_000;
const MIN_COMPARED = 100_000;
const CLI_SPOT_CHECK = 300;
const missing = await missingDpkgOracle();

describe('dpkg scheme vs dpkg', { skip: skipWhenMissing(missing) }, () => {
  const seed = differentialSeed(0x0d9c_2024);
  const rng = new Rng(seed);
  const pairs = generatePairs(rng, PAIRS, () => dpkgVersion(rng), (v) => mutateDpkg(rng, v));

  it(`agrees with libdpkg on ${PAIRS} generated pairs (validity and order)`, async () => {
    assert.equal(missing, undefined, missing);
    const started = performance.now();
    const verdicts = await runDpkgOracle(pairs);
    const result = diffAgainstOracle(dpkgScheme, pairs, verdicts, { checkValidity: true });
    const seconds = (performance.now() - started) / 1000;
    console.log(`dpkg differential: seed ${seed}, ${pairs.length} pairs, ${result.compared} ordered, ${seconds.toFixed(2)} s`);
    assert.equal(result.disagreements.length, 0, describeFailure('dpkg', seed, pairs.length, result));
    assert.ok(result.compared >= MIN_COMPARED, `only ${result.compared} pairs had two valid versions`);
  });

  it(`the libdpkg oracle and the scheme agree with \`dpkg --compare-versions\` on ${CLI_SPOT_CHECK} pairs`, async () => {
    assert.equal(missing, undefined, missing);
    // A version starting with "-" (epoch "-0") cannot be passed to the CLI: dpkg reads it as an option.
    const valid = pairs.filter(([a, b]) => dpkgScheme.isValid(a) && dpkgScheme.isValid(b) && !a.startsWith('-') && !b.startsWith('-'));
    const sample: Pair[] = [];
    for (let i = 0; sample.length < CLI_SPOT_CHECK && i < valid.length; i += Math.floor(valid.length / CLI_SPOT_CHECK)) sample.push(valid[i]!);
    const oracle = await runDpkgOracle(sample);
    const cli = await runDpkgCli(sample);
    const mismatches = sample.flatMap(([a, b], i) => {
      const scheme = Math.sign(dpkgScheme.compare(a, b));
      return scheme === cli[i] && oracle[i]!.cmp === cli[i] ? [] : [`${JSON.stringify(a)} vs ${JSON.stringify(b)}: cli ${cli[i]}, libdpkg ${oracle[i]!.cmp}, scheme ${scheme}`];
    });
    assert.equal(sample.length, CLI_SPOT_CHECK);
    assert.deepEqual(mismatches, [], `seed ${seed}`);
  });
});

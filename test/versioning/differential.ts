/**
 * Compares a version scheme with a real implementation's verdicts on the same generated pairs and
 * reports every disagreement: a version one side accepts and the other rejects, or a pair both accept
 * but order differently.
 */
import type { VersionScheme } from '../../src/modules/versioning/types.js';
import type { Pair } from './generators.js';
import type { Verdict } from './oracles.js';

export interface DifferentialResult {
  /** Pairs where both sides accepted both versions, so their order was compared. */
  compared: number;
  /** Versions whose validity was compared. */
  validityChecked: number;
  disagreements: string[];
}

export interface DifferentialOptions {
  /** False where the oracle's notion of validity is not the scheme's (rpm.vercmp accepts nearly anything). */
  checkValidity: boolean;
}

export function diffAgainstOracle(scheme: VersionScheme, pairs: Pair[], verdicts: Verdict[], options: DifferentialOptions): DifferentialResult {
  const result: DifferentialResult = { compared: 0, validityChecked: 0, disagreements: [] };
  pairs.forEach(([a, b], i) => {
    const verdict = verdicts[i]!;
    const aValid = scheme.isValid(a);
    const bValid = scheme.isValid(b);
    if (options.checkValidity) {
      result.validityChecked += 2;
      if (aValid !== verdict.aValid) result.disagreements.push(`validity of ${JSON.stringify(a)}: scheme ${aValid}, oracle ${verdict.aValid}`);
      if (bValid !== verdict.bValid) result.disagreements.push(`validity of ${JSON.stringify(b)}: scheme ${bValid}, oracle ${verdict.bValid}`);
    }
    if (aValid && bValid && verdict.aValid && verdict.bValid) {
      result.compared++;
      const mine = scheme.compare(a, b);
      if (Math.sign(mine) !== Math.sign(verdict.cmp)) {
        result.disagreements.push(`compare(${JSON.stringify(a)}, ${JSON.stringify(b)}): scheme ${mine}, oracle ${verdict.cmp}`);
      }
    }
  });
  return result;
}

/** The failure message: seed to reproduce with, counts, and the first disagreements. */
export function describeFailure(schemeId: string, seed: number, pairs: number, result: DifferentialResult): string {
  const shown = result.disagreements.slice(0, 25).map((d) => `  ${d}`);
  return [
    `${schemeId}: ${result.disagreements.length} disagreement(s) with the real implementation over ${pairs} pairs`,
    `  (seed ${seed}; rerun with BULWARK_VERSION_SEED=${seed})`,
    ...shown,
    ...(result.disagreements.length > shown.length ? [`  ... and ${result.disagreements.length - shown.length} more`] : []),
  ].join('\n');
}

/**
 * The skip option for a differential test whose oracle is missing. On CI nothing is skipped: the test
 * runs and fails on the missing oracle, since a differential test that did not run proves nothing.
 */
export function skipWhenMissing(missing: string | undefined): string | false {
  return missing !== undefined && !process.env['CI'] ? `oracle unavailable: ${missing}` : false;
}

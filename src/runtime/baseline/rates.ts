/** Per-minute rates (execs, connections) of a model with moving statistics. */
import type { RateStats } from './model.js';

export interface RateOptions {
  /** EWMA weight of a new minute once 1/alpha minutes have been seen (before that: exact running mean). Default 0.1. */
  alpha: number;
  /** A minute is a burst above mean + k·σ ... Default 4. */
  k: number;
  /** ... and above this absolute count per minute ... Default 20. */
  minAbsolute: number;
  /** ... and above minFactor × mean. Default 3. */
  minFactor: number;
  /**
   * Minutes without events between two events count as zero-minutes, up to this many (a model whose
   * containers were stopped for a night must not learn a night of zeros). Default 10.
   */
  gapFillMinutes: number;
}

export const DEFAULT_RATE_OPTIONS: RateOptions = { alpha: 0.1, k: 4, minAbsolute: 20, minFactor: 3, gapFillMinutes: 10 };

export const MINUTE_MS = 60_000;

/** Folds one finished minute's count into the EWMA mean and variance (incremental, West 1979). */
export function foldMinute(r: RateStats, count: number, alpha: number): void {
  const a = Math.max(alpha, 1 / (r.minutes + 1));
  const diff = count - r.mean;
  const incr = a * diff;
  r.mean += incr;
  r.variance = (1 - a) * (r.variance + diff * incr);
  r.minutes++;
}

/** The count per minute above which a minute is a burst: max(minAbsolute, mean + k·σ, minFactor·mean, accepted peak). */
export function rateThreshold(r: RateStats, o: RateOptions): number {
  return Math.max(o.minAbsolute, r.mean + o.k * Math.sqrt(r.variance), o.minFactor * r.mean, r.accepted);
}

/**
 * Moves `r` to `minute`: the minute counted so far is folded in (in monitoring only when it was not
 * a burst, so an attack does not teach the model), then the empty minutes in between as zeros.
 */
export function advanceMinute(r: RateStats, minute: number, o: RateOptions, learning: boolean): void {
  if (r.minute >= 0) {
    if (learning || r.current <= rateThreshold(r, o)) foldMinute(r, r.current, o.alpha);
    const gap = Math.min(minute - r.minute - 1, o.gapFillMinutes);
    for (let i = 0; i < gap; i++) foldMinute(r, 0, o.alpha);
  }
  r.minute = minute;
  r.current = 0;
}

/**
 * Score of a burst: 50 at the threshold, +25 per doubling above it, capped at 100
 * (2× the threshold = 75, 4× = 100).
 */
export function rateScore(observed: number, threshold: number): number {
  return Math.min(100, Math.round(50 + 25 * Math.log2(observed / threshold)));
}

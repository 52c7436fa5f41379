/**
 * A seeded PRNG (mulberry32) with the few helpers the version generators need, so a failing
 * differential run reproduces from its printed seed (BULWARK_VERSION_SEED=<seed>).
 */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Weighted choice: [weight, value] pairs. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [w, value] of choices) {
      x -= w;
      if (x < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }

  /** n characters drawn from alphabet. */
  string(alphabet: string, min: number, max: number): string {
    let s = '';
    const n = this.int(min, max);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

/**
 * The seed for a differential run: a fixed default so CI is repeatable; BULWARK_VERSION_SEED=<n>
 * reproduces another run, BULWARK_VERSION_SEED=random explores a fresh one.
 */
export function differentialSeed(defaultSeed: number): number {
  const wanted = process.env['BULWARK_VERSION_SEED'];
  if (wanted === undefined || wanted === '') return defaultSeed >>> 0;
  if (wanted === 'random') return (Date.now() ^ (process.pid << 16)) >>> 0;
  return Number(wanted) >>> 0;
}

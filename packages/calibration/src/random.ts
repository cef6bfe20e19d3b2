import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The seeded generator for the start-value jitter of NoisyBinarySearch (hardware.md §9.2): calibration must be
 * repeatable, so no `Math.random`; host-side randomness goes through one library (pure-rand's xoroshiro128+, as
 * pynn's and the execution layer's), which keeps the core platform-neutral.
 */
export class SeededRandom {
  readonly #generator: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.#generator = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.#generator);
  }

  /** Uniform integer in min..max inclusive. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

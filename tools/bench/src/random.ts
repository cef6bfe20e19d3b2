// Host-side randomness goes through one library (pure-rand's xoroshiro128+, as in pynn and execution), so a
// benchmark's inputs come from the same generator as the experiments it measures.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Deterministic uniform in [0, 1) from an integer seed, so every run of a benchmark measures the same input. */
export function seededUniform(seed: number): () => number {
  // xoroshiro128+ is seeded from a 32-bit integer.
  const generator = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(generator);
}

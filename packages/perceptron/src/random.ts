import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * xoroshiro128+ from a 32-bit seed, jumped once: seeded directly, its state has few bits set and its first
 * outputs are far from uniform (the first is ≈ 0.99999 for every small seed), which as noise is a 5σ outlier.
 */
export function seededGenerator(seed: number): ReturnType<typeof xoroshiro128plus> {
  const rng = xoroshiro128plus(seed);
  rng.jump();
  return rng;
}

import { ChipVariation } from '../analog/index.js';

/**
 * Chips built in one process with the same seed share one fixed pattern: drawing it (with the per-synapse
 * tables the event path reads) takes a few hundred ms, and a chip is rebuilt at every power-on `reset()`.
 * The pattern is read-only after drawing. A few seeds are kept, least recently used first out.
 */
const KEPT_SEEDS = 4;
const bySeed = new Map<number, ChipVariation>();
let ideal: ChipVariation | undefined;

/** The fixed pattern of chip `seed`, or the ideal chip's. */
export function chipVariation(seed: number, idealChip: boolean): ChipVariation {
  if (idealChip) return (ideal ??= ChipVariation.ideal());
  let variation = bySeed.get(seed);
  if (variation === undefined) {
    variation = ChipVariation.fromSeed(seed);
    if (bySeed.size >= KEPT_SEEDS) bySeed.delete(bySeed.keys().next().value!);
  } else bySeed.delete(seed);
  bySeed.set(seed, variation);
  return variation;
}

// The simulated chip's own Choices beyond the datasheet's nominal transfer. The §8.3 transfer functions, the
// backend clock arithmetic (§1.1, §8.1) and the readout scales are lola's `nominal` (the one home of the
// datasheet's numbers); these are the values of the "ideal chip", and `variation.ts` adds the fixed-pattern
// offsets and gains of a seeded chip.
import { nominal } from '@bss2/lola';

/** The supply rails clamp every analog voltage (mV): the MADC's 0..1.2 V. */
export const SUPPLY_MAX_MV = 1000 * nominal.madcFullScale_V;
/** §8.2: without the small capacitance the integrator step is smaller; **Choice:** by the same 4 as τ grows. */
export const LARGE_CAPACITANCE_STEP_FACTOR = 1 / nominal.synapticTauLargeCapacitanceFactor;

/**
 * Nominal part of the synaptic input offset o_shift of §8.2 (`I = g_m · (x + o_shift)`), set by
 * `i_shift_reference`. **Choice:** `0.004 nA · (500 − value)`: zero at 500, ±2 nA over the range, enough to
 * null the per-circuit offset of `variation.ts` (N(0, 0.5 nA)).
 */
export function synapticShiftOffset_nA(iShiftReference_lsb: number): number {
  return 0.004 * (500 - iShiftReference_lsb);
}

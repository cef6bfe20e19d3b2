import { nominal } from '@bss2/lola';
import { CalibrationTargetError } from '../errors.js';
import { NEURON_COUNT, feasibleRanges } from '../targets.js';

/** Backend clock `s` runs at 250 MHz / 2^(s+1) (hardware.md §1.1): one period is 8 ns · 2^s. */
export function backendClockPeriod_us(clockScale: number): number {
  return nominal.neuronBackendClockPeriod_ns(clockScale) / 1000;
}

const CLOCK_SCALE_MAX = nominal.neuronBackendClockScaleMax;
const REFRACTORY_COUNT_MAX = nominal.refractoryTimeMax;
const HOLDOFF_SETTING_MAX = nominal.resetHoldoffMax;
/** §8.1: the reset ends `0x1F − 2·reset_holdoff` cycles before the refractory period does. */
const HOLDOFF_CYCLES_BASE = nominal.resetHoldoffBase_cycles;

/** Neurons of backend half 0 (columns 0–127) or 1 (128–255), by AtomicNeuronOnDLS enum `256·row + column`. */
export function backendHalfOf(neuron: number): number {
  return Math.floor((neuron % 256) / 128);
}

/** The refractory settings of the whole chip: shared clocks per backend half, per-neuron counters. */
export interface RefractorySettings {
  /** `clock_scale_fast` / `_slow` of CommonNeuronBackendConfig, per half. */
  readonly clockScaleFast: readonly [number, number];
  readonly clockScaleSlow: readonly [number, number];
  /** Per neuron: `input_clock` (1 fast, 0 slow), `refractory_time` 0..255, `reset_holdoff` 0..15. */
  readonly inputClock: Uint8Array;
  readonly refractoryTime: Uint8Array;
  readonly resetHoldoff: Uint8Array;
  /** What the settings give, µs: τ_ref = refractory_time / f; hold-off = (0x1F − 2·reset_holdoff) / f. */
  readonly refractoryTime_us: Float64Array;
  readonly holdoffTime_us: Float64Array;
}

/** Hold-off cycles of a `reset_holdoff` setting. */
function holdoffCycles(setting: number): number {
  return HOLDOFF_CYCLES_BASE - 2 * setting;
}

/** The fastest clock scale on which neuron `i` fits: counter ≤ 255, hold-off ≤ 31 cycles, a reset ≥ 1 cycle. */
function minimalScale(refractory_us: number, holdoff_us: number): number | undefined {
  for (let s = 0; s <= CLOCK_SCALE_MAX; s++) {
    const period = backendClockPeriod_us(s);
    const count = Math.round(refractory_us / period);
    const holdoff = holdoffCyclesFor(holdoff_us, period);
    if (count <= REFRACTORY_COUNT_MAX && holdoff_us / period <= HOLDOFF_CYCLES_BASE + 1 && count - holdoffCycles(holdoff) >= 1) return s;
  }
  return undefined;
}

/** The `reset_holdoff` setting whose hold-off is nearest to the target (at least one cycle, §8.1). */
function holdoffCyclesFor(holdoff_us: number, period_us: number): number {
  const cycles = holdoff_us / period_us;
  const setting = Math.round((HOLDOFF_CYCLES_BASE - cycles) / 2);
  return Math.min(HOLDOFF_SETTING_MAX, Math.max(0, setting));
}

/**
 * Refractory clock settings computed, not measured (hardware.md §9.1 step 2, as calix `refractory_period`):
 * the backend counter is digital, so τ_ref = refractory_time / f exactly (§8.1). Each neuron gets the fastest
 * clock that holds its refractory time in the 8-bit counter and its hold-off in the 31 cycles `reset_holdoff`
 * spans, which keeps the quantisation error smallest; each half has two clocks, so its neurons' fastest
 * requirement becomes the fast clock and its slowest the slow clock, and a neuron in between takes the slow
 * one. A hold-off of 0 gives the minimum of one cycle (the counter's last bit is always hold-off).
 */
export function refractorySettings(refractory_us: Float64Array, holdoff_us: Float64Array): RefractorySettings {
  const scale = new Int32Array(NEURON_COUNT);
  for (let i = 0; i < NEURON_COUNT; i++) {
    const s = minimalScale(refractory_us[i]!, holdoff_us[i]!);
    if (s === undefined) {
      throw new CalibrationTargetError(
        'refractoryTime_us',
        refractory_us[i],
        feasibleRanges.refractoryTime_us,
        `a refractory time and hold-off (${holdoff_us[i]} µs) that one backend clock can count: at most 255 cycles, hold-off at most 31 and at least one reset cycle`,
        i,
      );
    }
    scale[i] = s;
  }
  const fast: [number, number] = [CLOCK_SCALE_MAX, CLOCK_SCALE_MAX];
  const slow: [number, number] = [0, 0];
  for (let i = 0; i < NEURON_COUNT; i++) {
    const h = backendHalfOf(i);
    fast[h] = Math.min(fast[h]!, scale[i]!);
    slow[h] = Math.max(slow[h]!, scale[i]!);
  }
  const inputClock = new Uint8Array(NEURON_COUNT);
  const refractoryTime = new Uint8Array(NEURON_COUNT);
  const resetHoldoff = new Uint8Array(NEURON_COUNT);
  const achievedRefractory = new Float64Array(NEURON_COUNT);
  const achievedHoldoff = new Float64Array(NEURON_COUNT);
  for (let i = 0; i < NEURON_COUNT; i++) {
    const h = backendHalfOf(i);
    const useFast = scale[i] === fast[h];
    const period = backendClockPeriod_us(useFast ? fast[h]! : slow[h]!);
    inputClock[i] = useFast ? 1 : 0;
    const setting = holdoffCyclesFor(holdoff_us[i]!, period);
    const count = Math.min(REFRACTORY_COUNT_MAX, Math.max(holdoffCycles(setting) + 1, Math.round(refractory_us[i]! / period)));
    refractoryTime[i] = count;
    resetHoldoff[i] = setting;
    achievedRefractory[i] = count * period;
    achievedHoldoff[i] = holdoffCycles(setting) * period;
  }
  return {
    clockScaleFast: fast,
    clockScaleSlow: slow,
    inputClock,
    refractoryTime,
    resetHoldoff,
    refractoryTime_us: achievedRefractory,
    holdoffTime_us: achievedHoldoff,
  };
}

// The one place where biological (PyNN) units meet the chip's (architecture.md, "Units"). Potentials, times,
// capacitance and synaptic strength follow @bss2/calibration's model units (its `modelUnits`), so a calibrated
// neuron and the conversions here agree; the AdEx / COBA / offset-current scales below are derived from them.
import { cadcCodeToVoltage_V, modelUnits, potentialToLsb, potentialToMillivolt, voltageToCadcCode } from '@bss2/calibration';
import { CYCLES_PER_US, cyclesToUs, usToCycles } from '@bss2/execution';
import { nominal } from '@bss2/lola';

export { CYCLES_PER_US };

/** Chip µs per biological ms: 1 at the 1000× speed-up, so the conversions below are exact. */
const CHIP_US_PER_MS = 1000 / modelUnits.SPEEDUP;

/** Biological ms → chip µs. */
export function msToChipMicroseconds(t_ms: number): number {
  return t_ms * CHIP_US_PER_MS;
}

/** Chip µs → biological ms. */
export function chipMicrosecondsToMs(t_us: number): number {
  return t_us / CHIP_US_PER_MS;
}

/** Biological ms → FPGA cycles (1 ms biological = 1 µs chip). */
export function msToCycles(t_ms: number): number {
  return usToCycles(msToChipMicroseconds(t_ms));
}

/** FPGA cycles (may be fractional) → biological ms. */
export function cyclesToMs(cycles: number): number {
  return chipMicrosecondsToMs(cyclesToUs(cycles));
}

/** Biological Hz → chip Hz. */
export function hzToChipHz(rate_hz: number): number {
  return rate_hz * modelUnits.SPEEDUP;
}

/** Chip mV per CADC LSB, from calibration's nominal CADC transfer (hardware.md §8.3: 4.5 mV per LSB from 60 mV). */
const CADC_LSB_MV = (cadcCodeToVoltage_V(1) - cadcCodeToVoltage_V(0)) * 1000;

/** Chip mV per model mV: 3 CADC LSB per model mV × 4.5 mV per LSB = 13.5. */
export const CHIP_MV_PER_MODEL_MV = modelUnits.LSB_PER_MV * CADC_LSB_MV;

/** Chip capacitance per model capacitance: 2.2 pF per nF. */
const CHIP_PF_PER_MODEL_NF = modelUnits.PF_PER_NF;

/**
 * Chip conductance per model conductance. g = C/τ with C × 2.2 pF/nF and τ ÷ 1000 (ms → µs) gives
 * g_chip[nS] = 2.2 · g_model[nS].
 */
export const CHIP_NS_PER_MODEL_NS = (CHIP_PF_PER_MODEL_NF * 1000) / 1000;

/** Chip current per model current: I = g · ΔV, so 2.2 × 13.5 = 29.7 nA on the chip per nA in the model. */
export const CHIP_NA_PER_MODEL_NA = CHIP_NS_PER_MODEL_NS * CHIP_MV_PER_MODEL_MV;

/** A model potential (mV) as a chip voltage (mV), through the calibration's CADC mapping. */
export function modelToChipMillivolt(v_mV: number): number {
  return cadcCodeToVoltage_V(potentialToLsb(v_mV)) * 1000;
}

/** A chip voltage (mV) as a model potential (mV). */
export function chipToModelMillivolt(v_chip_mV: number): number {
  return potentialToMillivolt(voltageToCadcCode(v_chip_mV / 1000));
}

/** An MADC code (10 bit, `1023 · V / 1.2 V`, hardware.md §8.3) as a model potential (mV). */
export function madcCodeToModelMillivolt(code: number): number {
  return chipToModelMillivolt(nominal.madcCodeToVoltage_V(code) * 1000);
}

/** Units of raw MADC codes: HXNeuron recordings and the adaptation readout, which has no defined scale in nA. */
export const RAW_UNITS = 'dimensionless';

/**
 * Peak synaptic current (model nA) of one full-weight (63) synapse at the nominal synaptic strength: the event
 * adds 100 nA of chip current (hardware.md §8.2 with i_bias_gm 500, synapse DAC bias 600, small capacitance),
 * 100 / 29.7 ≈ 3.37 nA in the model. Calibration holds the strength at this nominal value.
 */
export const FULL_WEIGHT_CURRENT_NA = nominal.synapticEventCharge_nA / CHIP_NA_PER_MODEL_NA;

/** The hardware weight (unrounded; projections round) whose peak current is `current_nA` (model units). */
export function weightForCurrent(current_nA: number): number {
  return (current_nA / FULL_WEIGHT_CURRENT_NA) * nominal.synapseWeightMax;
}

import { nominal } from '@bss2/lola';
import { CalibrationTargetError } from './errors.js';
import { type LIFCalibrationTarget, type PerNeuron, feasibleRanges, spikingTarget } from './targets.js';

/**
 * A LIF target in model units (PyNN's IF_curr_exp names: mV, ms, nF, nA). Times are biological: the chip runs
 * 1000× faster, 1 ms biological ≙ 1 µs of chip time (hardware.md conventions).
 */
export interface LIFModelTarget {
  readonly v_rest: PerNeuron;
  readonly v_reset: PerNeuron;
  readonly v_thresh: PerNeuron;
  readonly tau_m: PerNeuron;
  readonly tau_syn_E: PerNeuron;
  readonly tau_syn_I: PerNeuron;
  readonly tau_refrac: PerNeuron;
  /** Hold-off at the end of the refractory period, ms (not a PyNN parameter; default 0). */
  readonly holdoff?: PerNeuron;
  /** Membrane capacitance, nF (default 1 nF ≙ the full 2.2 pF of the chip). */
  readonly cm?: PerNeuron;
  /** Peak synaptic current of a full-weight (63) synapse, nA (default 1 nA ≙ i_bias_gm 500). */
  readonly weightScale?: PerNeuron;
  /** Synapse DAC bias, chip-wide, stays in CapMem LSB: it is a chip setting, not a model parameter. */
  readonly synapseDacBias_lsb?: number;
}

/**
 * The one place where model units and hardware units meet for calibration targets (architecture.md, "Units").
 * Each is a Choice of this package, linear and documented:
 *
 * - potential: `cadc_lsb = 80 + 3 · (V_mV + 65)` — PyNN's rest −65 mV sits at the default leak 80 LSB, and
 *   3 LSB per mV (13.5 mV of chip voltage per model mV, the CADC has 4.5 mV per LSB, §8.3) puts the default
 *   threshold 125 LSB at −50 mV, PyNN's default threshold; the CADC window 50..220 LSB spans −75..−18.3 mV.
 * - time: `t_us(chip) = t_ms(biological) · 1000 / SPEEDUP` with SPEEDUP = 1000.
 * - capacitance: `C_chip = 2.2 pF · cm / 1 nF`, then `membrane_capacitance = round((C_chip − 0.1 pF) / 2.1 pF · 63)`
 *   (§8.3), so 1 nF is the full capacitance 63.
 * - synaptic strength: `i_bias_gm = 500 · weightScale / 1 nA` — the transconductance is normalised to 1.0 at
 *   500 (§8.3) and this package lets 1.0 stand for a 1 nA full-weight PSC in the model.
 */
export const modelUnits = Object.freeze({
  SPEEDUP: nominal.speedUpFactor,
  REST_MV: -65,
  REST_LSB: 80,
  LSB_PER_MV: 3,
  FULL_CAPACITANCE_PF: nominal.membraneCapacitance_pF(nominal.membraneCapacitanceMax),
  CAPACITANCE_OFFSET_PF: nominal.membraneCapacitanceOffset_pF,
  CAPACITANCE_SPAN_PF: nominal.membraneCapacitanceSpan_pF,
  CAPACITANCE_MAX_LSB: nominal.membraneCapacitanceMax,
  PF_PER_NF: nominal.membraneCapacitance_pF(nominal.membraneCapacitanceMax),
  GM_NOMINAL_LSB: nominal.synapticGmUnity_lsb,
  WEIGHT_SCALE_AT_NOMINAL_NA: 1,
});

const u = modelUnits;

export function potentialToLsb(v_mV: number): number {
  return u.REST_LSB + u.LSB_PER_MV * (v_mV - u.REST_MV);
}

export function potentialToMillivolt(v_lsb: number): number {
  return u.REST_MV + (v_lsb - u.REST_LSB) / u.LSB_PER_MV;
}

export function biologicalToChipTime_us(t_ms: number): number {
  return (t_ms * 1000) / u.SPEEDUP;
}

export function chipToBiologicalTime_ms(t_us: number): number {
  return (t_us * u.SPEEDUP) / 1000;
}

export function capacitanceToLsb(cm_nF: number): number {
  return Math.round(((cm_nF * u.PF_PER_NF - u.CAPACITANCE_OFFSET_PF) / u.CAPACITANCE_SPAN_PF) * u.CAPACITANCE_MAX_LSB);
}

export function capacitanceToNanofarad(capacitance_lsb: number): number {
  return (u.CAPACITANCE_OFFSET_PF + (u.CAPACITANCE_SPAN_PF * capacitance_lsb) / u.CAPACITANCE_MAX_LSB) / u.PF_PER_NF;
}

export function weightScaleToGmLsb(weightScale_nA: number): number {
  return Math.round((u.GM_NOMINAL_LSB * weightScale_nA) / u.WEIGHT_SCALE_AT_NOMINAL_NA);
}

export function gmLsbToWeightScale_nA(gm_lsb: number): number {
  return (gm_lsb * u.WEIGHT_SCALE_AT_NOMINAL_NA) / u.GM_NOMINAL_LSB;
}

function map(value: PerNeuron, name: string, f: (x: number) => number): PerNeuron {
  if (typeof value === 'number') return checked(name, value, f);
  if (!Array.isArray(value)) throw new CalibrationTargetError(name, value, undefined, 'a number or an array of numbers');
  return value.map((x, i) => checked(name, x, f, i));
}

function checked(name: string, value: unknown, f: (x: number) => number, neuron?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CalibrationTargetError(name, value, undefined, 'a finite number', neuron);
  return f(value);
}

/**
 * Model units → hardware units. The result is checked by `resolveTarget` like any hardware target, so an
 * impossible model value is reported with the hardware parameter and its range; `modelRangeOf` gives the same
 * range in model units.
 */
export function modelToHardwareTarget(model: LIFModelTarget): LIFCalibrationTarget {
  return {
    leak_lsb: map(model.v_rest, 'v_rest', potentialToLsb),
    reset_lsb: map(model.v_reset, 'v_reset', potentialToLsb),
    threshold_lsb: map(model.v_thresh, 'v_thresh', potentialToLsb),
    tauMembrane_us: map(model.tau_m, 'tau_m', biologicalToChipTime_us),
    tauSynExc_us: map(model.tau_syn_E, 'tau_syn_E', biologicalToChipTime_us),
    tauSynInh_us: map(model.tau_syn_I, 'tau_syn_I', biologicalToChipTime_us),
    refractoryTime_us: map(model.tau_refrac, 'tau_refrac', biologicalToChipTime_us),
    holdoffTime_us: map(model.holdoff ?? 0, 'holdoff', biologicalToChipTime_us),
    membraneCapacitance_lsb: map(model.cm ?? 1, 'cm', capacitanceToLsb),
    synapticGm_lsb: map(model.weightScale ?? u.WEIGHT_SCALE_AT_NOMINAL_NA, 'weightScale', weightScaleToGmLsb),
    synapseDacBias_lsb: model.synapseDacBias_lsb ?? spikingTarget.synapseDacBias_lsb,
  };
}

/** Hardware units → model units (the inverse of `modelToHardwareTarget`, up to the rounding of settings). */
export function hardwareToModelTarget(target: LIFCalibrationTarget): LIFModelTarget {
  const back = (value: PerNeuron, f: (x: number) => number): PerNeuron => (typeof value === 'number' ? f(value) : value.map(f));
  return {
    v_rest: back(target.leak_lsb, potentialToMillivolt),
    v_reset: back(target.reset_lsb, potentialToMillivolt),
    v_thresh: back(target.threshold_lsb, potentialToMillivolt),
    tau_m: back(target.tauMembrane_us, chipToBiologicalTime_ms),
    tau_syn_E: back(target.tauSynExc_us, chipToBiologicalTime_ms),
    tau_syn_I: back(target.tauSynInh_us, chipToBiologicalTime_ms),
    tau_refrac: back(target.refractoryTime_us, chipToBiologicalTime_ms),
    holdoff: back(target.holdoffTime_us, chipToBiologicalTime_ms),
    cm: back(target.membraneCapacitance_lsb, capacitanceToNanofarad),
    weightScale: back(target.synapticGm_lsb, gmLsbToWeightScale_nA),
    synapseDacBias_lsb: target.synapseDacBias_lsb,
  };
}

/** The achievable range of a hardware parameter expressed in model units, for messages and UIs. */
export function modelRangeOf(parameter: keyof LIFCalibrationTarget): { min: number; max: number; unit: string } {
  const r = feasibleRanges[parameter];
  switch (parameter) {
    case 'leak_lsb':
    case 'reset_lsb':
    case 'threshold_lsb':
      return { min: potentialToMillivolt(r.min), max: potentialToMillivolt(r.max), unit: 'mV' };
    case 'membraneCapacitance_lsb':
      return { min: capacitanceToNanofarad(r.min), max: capacitanceToNanofarad(r.max), unit: 'nF' };
    case 'synapticGm_lsb':
      return { min: gmLsbToWeightScale_nA(r.min), max: gmLsbToWeightScale_nA(r.max), unit: 'nA' };
    case 'synapseDacBias_lsb':
      return { ...r };
    default:
      return { min: chipToBiologicalTime_ms(r.min), max: chipToBiologicalTime_ms(r.max), unit: 'ms' };
  }
}

import { nominal } from '@bss2/lola';
import { CalibrationTargetError, type AchievableRange } from './errors.js';

/** Number of neuron circuits (AtomicNeuronOnDLS.size, hardware.md §1). */
export const NEURON_COUNT = nominal.neuronCount;

/** A per-neuron target: one value for every neuron, or 512 values indexed by AtomicNeuronOnDLS enum. */
export type PerNeuron = number | readonly number[];

/**
 * The spiking LIF calibration target in hardware units (calix `SpikingCalibTarget` / `NeuronCalibTarget`,
 * hardware.md §9.3): potentials in CADC LSB, times in µs of chip time, biases in CapMem LSB.
 */
export interface LIFCalibrationTarget {
  /** Leak (resting) potential, CADC LSB. */
  readonly leak_lsb: PerNeuron;
  /** Reset potential, CADC LSB. */
  readonly reset_lsb: PerNeuron;
  /** Spike threshold, CADC LSB. */
  readonly threshold_lsb: PerNeuron;
  /** Membrane time constant, µs. */
  readonly tauMembrane_us: PerNeuron;
  /** Excitatory synaptic time constant, µs. */
  readonly tauSynExc_us: PerNeuron;
  /** Inhibitory synaptic time constant, µs. */
  readonly tauSynInh_us: PerNeuron;
  /** Refractory time (no spikes; includes the hold-off), µs. */
  readonly refractoryTime_us: PerNeuron;
  /** Hold-off: end of the refractory period during which the membrane is already free, µs. */
  readonly holdoffTime_us: PerNeuron;
  /** `membrane_capacitance` setting 0..63 (written, not calibrated). */
  readonly membraneCapacitance_lsb: PerNeuron;
  /** Synaptic input transconductance bias `i_bias_gm` of both receptors, CapMem LSB: the strength the neurons are matched at. */
  readonly synapticGm_lsb: PerNeuron;
  /** `syn_i_bias_dac`, the synapse weight scale, chip-wide, CapMem LSB. */
  readonly synapseDacBias_lsb: number;
}

/** Achievable range of each parameter (hardware.md §9.3, "Feasible"). */
export const feasibleRanges: Readonly<Record<keyof LIFCalibrationTarget, AchievableRange>> = Object.freeze({
  leak_lsb: { min: 50, max: 160, unit: 'CADC LSB' },
  reset_lsb: { min: 50, max: 160, unit: 'CADC LSB' },
  threshold_lsb: { min: 50, max: 220, unit: 'CADC LSB' },
  tauMembrane_us: { min: 0.5, max: 60, unit: 'µs' },
  tauSynExc_us: { min: 0.3, max: 30, unit: 'µs' },
  tauSynInh_us: { min: 0.3, max: 30, unit: 'µs' },
  refractoryTime_us: { min: 0.04, max: 32, unit: 'µs' },
  holdoffTime_us: { min: 0, max: 4, unit: 'µs' },
  membraneCapacitance_lsb: { min: 0, max: nominal.membraneCapacitanceMax, unit: 'LSB' },
  synapticGm_lsb: { min: 30, max: 800, unit: 'CapMem LSB' },
  synapseDacBias_lsb: { min: 30, max: nominal.capMemValueMax_lsb, unit: 'CapMem LSB' },
});

/** Parameters whose value must be a whole number (register or CapMem settings written as they are). */
const integerParameters = new Set<keyof LIFCalibrationTarget>(['membraneCapacitance_lsb', 'synapticGm_lsb', 'synapseDacBias_lsb']);

/** The parameter names in the datasheet's calibration order (hardware.md §9.1), for tables and plots. */
export const targetParameters = Object.freeze(Object.keys(feasibleRanges) as (keyof LIFCalibrationTarget)[]);

/** `spiking`: the defaults of hardware.md §9.3. */
export const spikingTarget: LIFCalibrationTarget = Object.freeze({
  leak_lsb: 80,
  reset_lsb: 70,
  threshold_lsb: 125,
  tauMembrane_us: 10,
  tauSynExc_us: 10,
  tauSynInh_us: 10,
  refractoryTime_us: 2,
  holdoffTime_us: 0,
  membraneCapacitance_lsb: 63,
  synapticGm_lsb: 500,
  synapseDacBias_lsb: 600,
});

/** `spiking2` (hardware.md §9.3): leak 80, reset 80, threshold 150, τ_mem = τ_syn = 6 µs, gm 500, DAC bias 1000. */
export const spiking2Target: LIFCalibrationTarget = Object.freeze({
  ...spikingTarget,
  reset_lsb: 80,
  threshold_lsb: 150,
  tauMembrane_us: 6,
  tauSynExc_us: 6,
  tauSynInh_us: 6,
  synapseDacBias_lsb: 1000,
});

/** The named presets of hardware.md §9.3 that this package calibrates. */
export const targetPresets = Object.freeze({ spiking: spikingTarget, spiking2: spiking2Target });
export type TargetPresetName = keyof typeof targetPresets;

/** A target with every per-neuron parameter expanded to 512 values; what the calibrations work on. */
export type ResolvedTarget = { readonly [K in keyof LIFCalibrationTarget]: K extends 'synapseDacBias_lsb' ? number : Float64Array };

/**
 * Checks every parameter against its achievable range and the rules between them (hardware.md §9.3) and
 * expands per-neuron values. Throws CalibrationTargetError naming the parameter, the value (and neuron), and
 * the range or rule, before anything touches the chip.
 */
export function resolveTarget(target: LIFCalibrationTarget): ResolvedTarget {
  if (target === null || typeof target !== 'object') throw new CalibrationTargetError('target', target, undefined, 'an object with the fields of LIFCalibrationTarget');
  for (const key of Object.keys(target)) {
    if (!(key in feasibleRanges)) {
      throw new CalibrationTargetError(key, (target as unknown as Record<string, unknown>)[key], undefined, `no such parameter; known: ${targetParameters.join(', ')}`);
    }
  }
  const out: Record<string, Float64Array | number> = {};
  for (const name of targetParameters) {
    const range = feasibleRanges[name];
    const given = target[name] as unknown;
    if (given === undefined) throw new CalibrationTargetError(name, given, range, `a value in ${range.min}..${range.max} ${range.unit}; the parameter is missing`);
    if (name === 'synapseDacBias_lsb') {
      checkValue(name, given, range, undefined);
      out[name] = given as number;
      continue;
    }
    if (typeof given === 'number') {
      checkValue(name, given, range, undefined);
      out[name] = new Float64Array(NEURON_COUNT).fill(given);
    } else if (Array.isArray(given) || ArrayBuffer.isView(given)) {
      const values = given as ArrayLike<unknown>;
      if (values.length !== NEURON_COUNT) {
        throw new CalibrationTargetError(name, `[${values.length} values]`, range, `one number for all neurons or exactly ${NEURON_COUNT} values`);
      }
      const expanded = new Float64Array(NEURON_COUNT);
      for (let i = 0; i < NEURON_COUNT; i++) expanded[i] = checkValue(name, values[i], range, i);
      out[name] = expanded;
    } else {
      throw new CalibrationTargetError(name, given, range, `a number or an array of ${NEURON_COUNT} numbers`);
    }
  }
  const resolved = out as ResolvedTarget;
  checkRules(resolved);
  return resolved;
}

function checkValue(name: keyof LIFCalibrationTarget, value: unknown, range: AchievableRange, neuron: number | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw new CalibrationTargetError(name, value, range, undefined, neuron);
  }
  if (integerParameters.has(name) && !Number.isInteger(value)) {
    throw new CalibrationTargetError(name, value, range, `an integer in ${range.min}..${range.max} ${range.unit} (a register or CapMem setting)`, neuron);
  }
  return value;
}

/** Rules between parameters: a LIF neuron must be able to fire and to leave its refractory period. */
function checkRules(t: ResolvedTarget): void {
  for (let i = 0; i < NEURON_COUNT; i++) {
    if (!(t.threshold_lsb[i]! > t.reset_lsb[i]!)) {
      throw new CalibrationTargetError('threshold_lsb', t.threshold_lsb[i], feasibleRanges.threshold_lsb, `above reset_lsb (${t.reset_lsb[i]}): a neuron reset at or above its threshold fires without end`, i);
    }
    if (!(t.threshold_lsb[i]! > t.leak_lsb[i]!)) {
      throw new CalibrationTargetError('threshold_lsb', t.threshold_lsb[i], feasibleRanges.threshold_lsb, `above leak_lsb (${t.leak_lsb[i]}): the threshold is measured by driving the membrane up from rest`, i);
    }
    if (!(t.holdoffTime_us[i]! < t.refractoryTime_us[i]!)) {
      throw new CalibrationTargetError('holdoffTime_us', t.holdoffTime_us[i], feasibleRanges.holdoffTime_us, `below refractoryTime_us (${t.refractoryTime_us[i]}): the hold-off is the end of the refractory period`, i);
    }
  }
}

/** A plain JSON form of a target (arrays as arrays), stable for hashing and serialisation. */
export function targetToJSON(target: LIFCalibrationTarget): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const name of targetParameters) {
    const value = target[name];
    out[name] = typeof value === 'number' ? value : Array.from(value as ArrayLike<number>);
  }
  return out;
}

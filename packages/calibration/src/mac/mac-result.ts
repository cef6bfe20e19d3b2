import { AtomicNeuronOnDLS, CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS, CommonNeuronBackendConfigOnDLS } from '@bss2/halco';
import { AtomicNeuron, CapMemCell, CommonNeuronBackendConfig, nominal } from '@bss2/lola';
import type { PlaybackProgramBuilder } from '@bss2/stadls';
import type { ChipIdentity } from '../calibration-result.js';
import { CalibrationResultFormatError, CalibrationTargetError } from '../errors.js';
import { type Json, canonicalJSON, resultChecksum } from '../result-format.js';
import { RESET_BIAS_LSB, RESET_MULTIPLICATION } from '../neuron-settings.js';
import { NEURON_COUNT } from '../targets.js';
import { type MacDriverSettings, type MacTiming, configureMacEventPath } from './program.js';

/** What a MAC calibration aims at (hardware.md §9.1 `HagenCalibTarget`, §11.2). */
export interface MacCalibrationTarget {
  /** CADC code of a zero result (default 128: int8 results are `code − baseline`). */
  readonly baseline_lsb?: number;
  /** CADC LSB per unit of activation × weight of one send (default 0.002, the mock's gain of §11.2). */
  readonly gain?: number;
  /** `syn_i_bias_dac` of all four quadrants (default 600). */
  readonly synapseDacBias_lsb?: number;
  /** `i_bias_tau` of both synaptic inputs (default 500: τ_syn ≈ 0.6 µs, §8.3). */
  readonly synapticTauBias_lsb?: number;
}

export interface ResolvedMacTarget {
  readonly baseline_lsb: number;
  readonly gain: number;
  readonly synapseDacBias_lsb: number;
  readonly synapticTauBias_lsb: number;
}

export const DEFAULT_MAC_TARGET: ResolvedMacTarget = Object.freeze({ baseline_lsb: 128, gain: 0.002, synapseDacBias_lsb: 600, synapticTauBias_lsb: 500 });

/** Baselines the CADC can hold with room for results on both sides (codes 0..255, §8.3). */
const BASELINE_RANGE = [32, 224] as const;
const GAIN_RANGE = [0.0002, 0.02] as const;
const CAPMEM_BIAS_RANGE = [30, nominal.capMemValueMax_lsb] as const;

function checkNumber(parameter: string, value: number, [min, max]: readonly [number, number], integer: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new CalibrationTargetError(parameter, value, undefined, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
}

/** The target with defaults filled in; a value out of range is a CalibrationTargetError naming it. */
export function resolveMacTarget(target: MacCalibrationTarget = {}): ResolvedMacTarget {
  const known = new Set(Object.keys(DEFAULT_MAC_TARGET));
  for (const key of Object.keys(target)) {
    if (!known.has(key)) throw new CalibrationTargetError(key, (target as Record<string, unknown>)[key], undefined, `a MAC target field (${[...known].join(', ')})`);
  }
  const resolved = { ...DEFAULT_MAC_TARGET, ...target };
  checkNumber('baseline_lsb', resolved.baseline_lsb, BASELINE_RANGE, true);
  checkNumber('gain', resolved.gain, GAIN_RANGE, false);
  checkNumber('synapseDacBias_lsb', resolved.synapseDacBias_lsb, CAPMEM_BIAS_RANGE, true);
  checkNumber('synapticTauBias_lsb', resolved.synapticTauBias_lsb, CAPMEM_BIAS_RANGE, true);
  return Object.freeze(resolved);
}

/** Per-neuron settings of integrator mode (CapMem LSB), indexed by AtomicNeuronOnDLS. */
export interface MacNeuronSettings {
  readonly vReset: Int32Array;
  readonly gmExcitatory: Int32Array;
  readonly gmInhibitory: Int32Array;
}

/** One calibrated quantity: target, before (uncalibrated), achieved, success, per circuit. */
export interface MacParameterReport {
  readonly parameter: string;
  readonly unit: string;
  readonly target: Float64Array;
  readonly before: Float64Array;
  readonly achieved: Float64Array;
  readonly success: Uint8Array;
}

export interface MacCalibrationResultInit {
  readonly target: ResolvedMacTarget;
  readonly identity: ChipIdentity;
  readonly softwareVersion: string;
  readonly neurons: MacNeuronSettings;
  readonly drivers: MacDriverSettings;
  readonly timing: Pick<MacTiming, 'resetWait' | 'settleWait'>;
  readonly parameters: readonly MacParameterReport[];
  readonly duration_s: number;
}

/**
 * The reset before each multiply (§8.1): 255 ticks of the fast backend clock at scale 0 (8 ns: 2 µs), hold-off
 * 15 so the reset phase lasts all but one tick — ≈ 7 τ_reset at full reset bias, so no trace of the previous
 * result remains.
 */
const RESET_REFRACTORY_TIME = 255;
const RESET_HOLDOFF = 15;
const FAST_CLOCK_SCALE = 0;

/**
 * The result of a MAC (integrator-mode) calibration: per-driver DAC and pulse trims, per-neuron reset
 * potential (the baseline) and synaptic gains, and the timing they were measured with. `apply` writes the whole
 * integrator-mode configuration; `neuron(i)` is the AtomicNeuron of one column.
 */
export class MacCalibrationResult {
  readonly kind = 'mac' as const;
  readonly target: ResolvedMacTarget;
  readonly identity: ChipIdentity;
  readonly softwareVersion: string;
  readonly neurons: MacNeuronSettings;
  readonly drivers: MacDriverSettings;
  readonly timing: Pick<MacTiming, 'resetWait' | 'settleWait'>;
  readonly parameters: readonly MacParameterReport[];
  readonly duration_s: number;

  constructor(init: MacCalibrationResultInit) {
    this.target = init.target;
    this.identity = init.identity;
    this.softwareVersion = init.softwareVersion;
    this.neurons = init.neurons;
    this.drivers = init.drivers;
    this.timing = init.timing;
    this.parameters = init.parameters;
    this.duration_s = init.duration_s;
  }

  parameter(name: string): MacParameterReport | undefined {
    return this.parameters.find((p) => p.parameter === name);
  }

  /** The integrator neuron of column `i`: leak off, no threshold, a strong reset to the baseline, membrane to the CADC. */
  neuron(i: number): AtomicNeuron {
    return macNeuron(this.target, this.neurons.vReset[i]!, this.neurons.gmExcitatory[i]!, this.neurons.gmInhibitory[i]!);
  }

  /** Appends the integrator-mode configuration: event path with the driver trims, DAC biases, 512 neurons. */
  apply(builder: PlaybackProgramBuilder): void {
    writeMacChip(builder, this.target, this.drivers, this.neurons);
  }
}

/** The integrator neuron (§8.1 "leak bias 0: a pure integrator"). */
export function macNeuron(target: ResolvedMacTarget, vReset: number, gmExcitatory: number, gmInhibitory: number): AtomicNeuron {
  return new AtomicNeuron({
    reset: { iBias: RESET_BIAS_LSB, enableMultiplication: RESET_MULTIPLICATION, vReset },
    leak: { iBias: 0 },
    excitatoryInput: { enable: true, iBiasTau: target.synapticTauBias_lsb, iBiasGm: gmExcitatory, iShiftReference: SHIFT_REFERENCE_NOMINAL_LSB },
    inhibitoryInput: { enable: true, iBiasTau: target.synapticTauBias_lsb, iBiasGm: gmInhibitory, iShiftReference: SHIFT_REFERENCE_NOMINAL_LSB },
    membraneCapacitance: { capacitance: nominal.membraneCapacitanceMax },
    refractoryPeriod: { inputClock: 1, refractoryTime: RESET_REFRACTORY_TIME, resetHoldoff: RESET_HOLDOFF },
  });
}

/** `i_shift_reference` at which the nominal synaptic offset current is zero (§8.2 o_shift). */
const SHIFT_REFERENCE_NOMINAL_LSB = 500;

export function writeMacChip(builder: PlaybackProgramBuilder, target: ResolvedMacTarget, drivers: MacDriverSettings, neurons: MacNeuronSettings): void {
  configureMacEventPath(builder, drivers);
  for (const half of [0, 1]) builder.write(new CommonNeuronBackendConfigOnDLS(half), new CommonNeuronBackendConfig({ clockScaleFast: FAST_CLOCK_SCALE }));
  for (let q = 0; q < 4; q++) {
    builder.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, new CapMemBlockOnDLS(q)), new CapMemCell({ value: target.synapseDacBias_lsb }));
  }
  for (let i = 0; i < NEURON_COUNT; i++) {
    builder.write(new AtomicNeuronOnDLS(i), macNeuron(target, neurons.vReset[i]!, neurons.gmExcitatory[i]!, neurons.gmInhibitory[i]!));
  }
}

// ---- Serialisation -------------------------------------------------------------------------------------

const MAC_FORMAT = 'bss2-mac-calibration';
const MAC_FORMAT_VERSION = 1;

/** The result as plain JSON data (typed arrays as arrays), with a CRC-32 `checksum` of the rest (as LIF results). */
export function macResultToJSON(result: MacCalibrationResult): Json {
  const arrays = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]));
  const doc = {
    format: MAC_FORMAT,
    version: MAC_FORMAT_VERSION,
    target: { ...result.target },
    identity: { ...result.identity },
    softwareVersion: result.softwareVersion,
    neurons: arrays(result.neurons),
    drivers: arrays(result.drivers),
    timing: { ...result.timing },
    parameters: result.parameters.map((p) => ({ parameter: p.parameter, unit: p.unit, target: Array.from(p.target), before: Array.from(p.before), achieved: Array.from(p.achieved), success: Array.from(p.success) })),
    duration_s: result.duration_s,
  };
  return { ...doc, checksum: resultChecksum(doc) };
}

/** What a MAC result's cache key is made of: kind, resolved target, chip identity, software version (§9.4). */
export function macCacheKeyMaterial(target: ResolvedMacTarget, identity: ChipIdentity, softwareVersion: string): string {
  return canonicalJSON({ kind: 'mac', target, identity: { chipSeed: identity.chipSeed, simulatorVersion: identity.simulatorVersion, protocolVersion: identity.protocolVersion }, softwareVersion });
}

function fail(path: string, rule: string): never {
  throw new CalibrationResultFormatError(`MAC calibration document: ${path}: expected ${rule}`);
}

function intArray(value: unknown, path: string, length: number, min: number, max: number): Int32Array {
  if (!Array.isArray(value) || value.length !== length) fail(path, `an array of ${length} integers`);
  const out = new Int32Array(length);
  value.forEach((v, k) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) fail(`${path}[${k}]`, `an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
    out[k] = v as number;
  });
  return out;
}

function floatArray(value: unknown, path: string): Float64Array {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number')) fail(path, 'an array of numbers');
  return Float64Array.from(value as number[]);
}

/** Reads a document written by `macResultToJSON`; anything else is a CalibrationResultFormatError naming the field. */
export function macResultFromJSON(doc: unknown): MacCalibrationResult {
  // A parsed JSON document: every field is checked below before it is used.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = doc as Record<string, any>;
  if (typeof d !== 'object' || d === null) fail('document', 'an object');
  if (d.format !== MAC_FORMAT) fail('format', JSON.stringify(MAC_FORMAT));
  if (d.version !== MAC_FORMAT_VERSION) fail('version', String(MAC_FORMAT_VERSION));
  const { checksum, ...rest } = d;
  if (checksum !== resultChecksum(rest)) fail('checksum', `the CRC-32 of the document (${resultChecksum(rest)}), got ${JSON.stringify(checksum)}: the document is damaged`);
  let target: ResolvedMacTarget;
  try {
    target = resolveMacTarget(d.target);
  } catch (error) {
    fail('target', `a valid MAC target (${(error as Error).message})`);
  }
  const id = d.identity;
  if (typeof id !== 'object' || id === null || !Number.isInteger(id.chipSeed) || typeof id.simulatorVersion !== 'string' || !Number.isInteger(id.protocolVersion)) {
    fail('identity', '{ chipSeed, simulatorVersion, protocolVersion }');
  }
  if (typeof d.softwareVersion !== 'string') fail('softwareVersion', 'a string');
  const capMax = nominal.capMemValueMax_lsb;
  const neurons: MacNeuronSettings = {
    vReset: intArray(d.neurons?.vReset, 'neurons.vReset', NEURON_COUNT, 0, capMax),
    gmExcitatory: intArray(d.neurons?.gmExcitatory, 'neurons.gmExcitatory', NEURON_COUNT, 0, capMax),
    gmInhibitory: intArray(d.neurons?.gmInhibitory, 'neurons.gmInhibitory', NEURON_COUNT, 0, capMax),
  };
  const drivers: MacDriverSettings = {
    hagenDacOffset: intArray(d.drivers?.hagenDacOffset, 'drivers.hagenDacOffset', nominal.synapseDriverCount, 0, nominal.hagenDacOffsetMax),
    pulseOffset: intArray(d.drivers?.pulseOffset, 'drivers.pulseOffset', nominal.synapseDriverCount, 0, nominal.driverOffsetMax),
  };
  const timing = d.timing;
  if (typeof timing !== 'object' || timing === null || !Number.isInteger(timing.resetWait) || !Number.isInteger(timing.settleWait) || timing.resetWait < 0 || timing.settleWait < 0) {
    fail('timing', '{ resetWait, settleWait } in FPGA cycles');
  }
  if (!Array.isArray(d.parameters)) fail('parameters', 'an array');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked entry by entry
  const parameters = (d.parameters as any[]).map((p, k): MacParameterReport => {
    if (typeof p?.parameter !== 'string' || typeof p?.unit !== 'string') fail(`parameters[${k}]`, '{ parameter, unit, target, before, achieved, success }');
    const success = floatArray(p.success, `parameters[${k}].success`);
    return {
      parameter: p.parameter,
      unit: p.unit,
      target: floatArray(p.target, `parameters[${k}].target`),
      before: floatArray(p.before, `parameters[${k}].before`),
      achieved: floatArray(p.achieved, `parameters[${k}].achieved`),
      success: Uint8Array.from(success, (v) => (v === 1 ? 1 : 0)),
    };
  });
  if (typeof d.duration_s !== 'number') fail('duration_s', 'a number');
  return new MacCalibrationResult({
    target,
    identity: { chipSeed: id.chipSeed, simulatorVersion: id.simulatorVersion, protocolVersion: id.protocolVersion },
    softwareVersion: d.softwareVersion,
    neurons,
    drivers,
    timing: { resetWait: timing.resetWait, settleWait: timing.settleWait },
    parameters,
    duration_s: d.duration_s,
  });
}

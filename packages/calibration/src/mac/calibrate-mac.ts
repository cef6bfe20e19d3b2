import { nominal } from '@bss2/lola';
import type { Connection } from '@bss2/hxcomm';
import { PlaybackProgramBuilder } from '@bss2/stadls';
import { resetTimer, waitUntil } from '../calibrations/context.js';
import type { ProgressListener } from '../calibrations/context.js';
import { capMemPerCadcLsb, potentialSetting } from '../calibrations/nominal.js';
import { CalibrationNotSuccessfulError } from '../errors.js';
import { CadcNeuronReadout, requireLiveReadout } from '../measurement/cadc-readout.js';
import { ChipSession, capMemSettleTime_us } from '../measurement/chip-session.js';
import { NEURON_COUNT } from '../targets.js';
import { CALIBRATION_SOFTWARE_VERSION } from '../version.js';
import {
  MacCalibrationResult,
  type MacCalibrationTarget,
  type MacNeuronSettings,
  type MacParameterReport,
  type ResolvedMacTarget,
  resolveMacTarget,
  writeMacChip,
} from './mac-result.js';
import { MAC_COLUMNS, MAC_ROWS, type MacDriverSettings, type MacTiming, appendMacVector, writeMacWeights } from './program.js';

export interface CalibrateMacOptions {
  readonly onProgress?: ProgressListener;
  /** Throw CalibrationNotSuccessfulError when a driver or neuron misses its target (default: report only). */
  readonly requireSuccess?: boolean;
}

/**
 * Timing of every integrator-mode multiply (FPGA cycles). The reset before each multiply holds the membrane for
 * 255 ticks of the fast backend clock at scale 0 (2 µs ≈ 7 τ_reset at full reset bias, §8.1; hold-off 15), so
 * the previous result leaves no trace; the synaptic currents (τ_syn ≈ 0.6 µs at `i_bias_tau` 500) have decayed
 * to e^-8 when the CADC reads 5 µs after the last event.
 */
export const MAC_TIMING: Pick<MacTiming, 'resetWait' | 'settleWait'> = Object.freeze({ resetWait: 270, settleWait: 625 });

/** Drivers: the two activations of the DAC fit and the sends per measurement. */
const DRIVER_ACTIVATIONS = [31, 8] as const;
const DRIVER_SENDS = 4;
/** Column gain: rows 0..63 excitatory, 64..127 inhibitory, all at `GAIN_WEIGHT`, activation `GAIN_ACTIVATION`. */
const GAIN_ROWS = MAC_ROWS / 2;
const GAIN_WEIGHT = 20;
const GAIN_ACTIVATION = 16;
const GAIN_REPEATS = 4;
const GAIN_ITERATIONS = 3;
const GAIN_BIAS_RANGE = [30, nominal.capMemValueMax_lsb] as const;
/** Baseline: zero vectors averaged per measurement, search iterations. */
const BASELINE_REPEATS = 4;
const BASELINE_ITERATIONS = 3;
/** A neuron counts as calibrated within these tolerances. */
const GAIN_TOLERANCE = 0.03;
const BASELINE_TOLERANCE_LSB = 2;
/** Drivers: DAC threshold steps per activation LSB (chip-sim Choice) and pulse-trim steps (`1 − offset / 32`). */
const DAC_STEPS_PER_LSB = 16;
const DAC_OFFSET_MAX = nominal.hagenDacOffsetMax;
const PULSE_TRIM_DIVISOR = 32;
const PULSE_OFFSET_MAX = nominal.driverOffsetMax;

/**
 * One chip in integrator mode as the calibration sees it: the configuration it last wrote (drivers, neurons,
 * weights) and programs of multiplies with the current settings.
 */
class MacBench {
  private written: { drivers: string; neurons: MacNeuronSettings } | undefined;
  private weights: [Int8Array | undefined, Int8Array | undefined] = [undefined, undefined];

  constructor(
    readonly session: ChipSession,
    readonly target: ResolvedMacTarget,
    readonly drivers: MacDriverSettings,
    readonly neurons: MacNeuronSettings,
  ) {}

  /**
   * Runs the multiplies `vectors` (per vector: the activations of block 0 and block 1) with the current
   * settings and the given weights (full 128 × 256 blocks per hemisphere); returns each vector's 512 codes.
   */
  async multiply(weights: [Int8Array, Int8Array], vectors: readonly (readonly [Uint8Array | undefined, Uint8Array | undefined])[], numSends: number): Promise<Float64Array[]> {
    const builder = new PlaybackProgramBuilder();
    const drivers = Array.from(this.drivers.hagenDacOffset).join(',') + '|' + Array.from(this.drivers.pulseOffset).join(',');
    let settle_us = 0;
    if (this.written === undefined || this.written.drivers !== drivers || changed(this.written.neurons, this.neurons)) {
      const change = this.written === undefined ? nominal.capMemValueMax_lsb : maxChange(this.written.neurons, this.neurons);
      writeMacChip(builder, this.target, this.drivers, this.neurons);
      settle_us = capMemSettleTime_us(change);
      this.written = { drivers, neurons: copyNeurons(this.neurons) };
    }
    for (const block of [0, 1] as const) {
      if (this.weights[block] !== weights[block]) {
        writeMacWeights(builder, block, weights[block], this.weights[block]);
        this.weights[block] = weights[block];
      }
    }
    if (settle_us > 0) ChipSession.wait(builder, settle_us);
    const timing: MacTiming = { ...MAC_TIMING, numSends, waitBetweenEvents: 4 };
    const tickets = vectors.map((v) => appendMacVector(builder, v, timing, waitUntil, resetTimer));
    await this.session.run(builder);
    return tickets.map((t) => CadcNeuronReadout.decode(t));
  }
}

function changed(a: MacNeuronSettings, b: MacNeuronSettings): boolean {
  return maxChange(a, b) > 0;
}

function maxChange(a: MacNeuronSettings, b: MacNeuronSettings): number {
  let change = 0;
  for (const key of ['vReset', 'gmExcitatory', 'gmInhibitory'] as const) {
    for (let i = 0; i < NEURON_COUNT; i++) change = Math.max(change, Math.abs(a[key][i]! - b[key][i]!));
  }
  return change;
}

function copyNeurons(n: MacNeuronSettings): MacNeuronSettings {
  return { vReset: n.vReset.slice(), gmExcitatory: n.gmExcitatory.slice(), gmInhibitory: n.gmInhibitory.slice() };
}

function filledBlock(weight: (row: number) => number): Int8Array {
  const out = new Int8Array(MAC_ROWS * MAC_COLUMNS);
  for (let r = 0; r < MAC_ROWS; r++) out.fill(weight(r), r * MAC_COLUMNS, (r + 1) * MAC_COLUMNS);
  return out;
}

function activations(rows: (row: number) => number): Uint8Array {
  return Uint8Array.from({ length: MAC_ROWS }, (_, r) => rows(r));
}

function meanOf(vectors: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(NEURON_COUNT);
  for (const v of vectors) for (let i = 0; i < NEURON_COUNT; i++) out[i]! += v[i]! / vectors.length;
  return out;
}

/** Mean over the 256 columns of hemisphere `block` of `codes − baseline`. */
function columnMean(codes: Float64Array, baseline: Float64Array, block: number): number {
  let sum = 0;
  for (let c = 0; c < MAC_COLUMNS; c++) sum += codes[block * MAC_COLUMNS + c]! - baseline[block * MAC_COLUMNS + c]!;
  return sum / MAC_COLUMNS;
}

/**
 * Per driver, the DAC threshold (activation LSB lost per pulse) and the gain (CADC LSB per activation LSB,
 * column mean) from the responses at two activations: `A(a) = k · (a − θ)`. One driver per multiply and
 * hemisphere, full-weight excitatory rows into every column.
 */
async function measureDrivers(bench: MacBench): Promise<{ threshold: Float64Array; gain: Float64Array }> {
  const weights = filledBlock(() => nominal.synapseWeightMax);
  const none = activations(() => 0);
  const baselineCodes = await bench.multiply([weights, weights], Array.from({ length: BASELINE_REPEATS }, () => [none, none] as const), DRIVER_SENDS);
  const baseline = meanOf(baselineCodes);
  const drivers = nominal.synapseDriverCount;
  const responses = DRIVER_ACTIVATIONS.map(() => new Float64Array(drivers));
  for (const [k, a] of DRIVER_ACTIVATIONS.entries()) {
    const vectors = Array.from({ length: MAC_ROWS }, (_, d) => {
      const v = activations((r) => (r === d ? a : 0));
      return [v, v] as const;
    });
    const codes = await bench.multiply([weights, weights], vectors, DRIVER_SENDS);
    for (let d = 0; d < MAC_ROWS; d++) {
      for (const block of [0, 1]) responses[k]![block * MAC_ROWS + d] = columnMean(codes[d]!, baseline, block) / DRIVER_SENDS;
    }
  }
  const [high, low] = DRIVER_ACTIVATIONS;
  const threshold = new Float64Array(drivers);
  const gain = new Float64Array(drivers);
  for (let d = 0; d < drivers; d++) {
    const k = (responses[0]![d]! - responses[1]![d]!) / (high - low);
    gain[d] = k;
    threshold[d] = k > 0 ? high - responses[0]![d]! / k : Number.NaN;
  }
  return { threshold, gain };
}

/** Per neuron, the measured gain (CADC LSB per activation · weight) of the excitatory and the inhibitory input. */
async function measureGains(bench: MacBench): Promise<{ excitatory: Float64Array; inhibitory: Float64Array }> {
  const weights = filledBlock((r) => (r < GAIN_ROWS ? GAIN_WEIGHT : -GAIN_WEIGHT));
  const none = activations(() => 0);
  const exc = activations((r) => (r < GAIN_ROWS ? GAIN_ACTIVATION : 0));
  const inh = activations((r) => (r >= GAIN_ROWS ? GAIN_ACTIVATION : 0));
  const vectors = [
    ...Array.from({ length: GAIN_REPEATS }, () => [none, none] as const),
    ...Array.from({ length: GAIN_REPEATS }, () => [exc, exc] as const),
    ...Array.from({ length: GAIN_REPEATS }, () => [inh, inh] as const),
  ];
  const codes = await bench.multiply([weights, weights], vectors, 1);
  const baseline = meanOf(codes.slice(0, GAIN_REPEATS));
  const e = meanOf(codes.slice(GAIN_REPEATS, 2 * GAIN_REPEATS));
  const i = meanOf(codes.slice(2 * GAIN_REPEATS));
  const units = GAIN_ROWS * GAIN_ACTIVATION * GAIN_WEIGHT;
  return {
    excitatory: Float64Array.from(e, (v, n) => (v - baseline[n]!) / units),
    inhibitory: Float64Array.from(i, (v, n) => (baseline[n]! - v) / units),
  };
}

async function measureBaseline(bench: MacBench): Promise<Float64Array> {
  const weights = filledBlock(() => 0);
  const none = activations(() => 0);
  const codes = await bench.multiply([weights, weights], Array.from({ length: BASELINE_REPEATS }, () => [none, none] as const), 1);
  const baseline = meanOf(codes);
  requireLiveReadout(baseline, 'MAC baseline');
  return baseline;
}

const clampInt = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(v)));

/**
 * The integrator-mode ("hagen") calibration (hardware.md §9.1 `HagenCalibTarget`, §11.2): every driver in hagen
 * mode, every neuron a leak-free integrator with a strong reset to its baseline, read by the CADC.
 *
 * 1. **Drivers**: per driver the DAC threshold θ (activation lost per pulse) and gain k from full-weight
 *    responses at activations 31 and 8 (column means of 256 neurons, 4 sends); `hagen_dac_offset = 16 θ` cancels
 *    θ, the 4-bit pulse trim brings every driver of a hemisphere down to its weakest (`1 − offset / 32`).
 * 2. **Column gains**: `i_bias_gm` per neuron and receptor so that 64 rows × activation 16 × weight 20 give
 *    `gain · 20480` CADC LSB (response ∝ g_m: proportional updates, 3 rounds).
 * 3. **Baseline**: `v_reset` per neuron so that a multiply with no input reads `baseline_lsb` (3 rounds) —
 *    it absorbs the CADC channel offset and the drift of the synaptic offset currents over one multiply.
 *
 * The synapse DAC bias is the target's chip-wide value; per-quadrant differences end up in the column gains.
 */
export async function calibrateMAC(connection: Connection, target: MacCalibrationTarget = {}, options: CalibrateMacOptions = {}): Promise<MacCalibrationResult> {
  const started = now();
  const resolved = resolveMacTarget(target);
  const session = new ChipSession(connection);
  await session.run(ChipSession.initBuilder());
  const drivers: MacDriverSettings = {
    hagenDacOffset: new Int32Array(nominal.synapseDriverCount),
    pulseOffset: new Int32Array(nominal.synapseDriverCount),
  };
  const neurons: MacNeuronSettings = {
    vReset: new Int32Array(NEURON_COUNT).fill(potentialSetting(resolved.baseline_lsb, 'reset')),
    gmExcitatory: new Int32Array(NEURON_COUNT).fill(nominal.synapticGmUnity_lsb),
    gmInhibitory: new Int32Array(NEURON_COUNT).fill(nominal.synapticGmUnity_lsb),
  };
  const bench = new MacBench(session, resolved, drivers, neurons);
  const progress = options.onProgress ?? (() => {});
  const reports: MacParameterReport[] = [];

  // 1. Drivers.
  progress('drivers', 0);
  const before = await measureDrivers(bench);
  const driverSuccess = new Uint8Array(nominal.synapseDriverCount).fill(1);
  for (const block of [0, 1]) {
    let weakest = Infinity;
    for (let d = block * MAC_ROWS; d < (block + 1) * MAC_ROWS; d++) if (before.gain[d]! > 0) weakest = Math.min(weakest, before.gain[d]!);
    for (let d = block * MAC_ROWS; d < (block + 1) * MAC_ROWS; d++) {
      const k = before.gain[d]!;
      const theta = before.threshold[d]!;
      if (!(k > 0) || !Number.isFinite(theta)) {
        driverSuccess[d] = 0;
        continue;
      }
      const dac = DAC_STEPS_PER_LSB * theta;
      const trim = PULSE_TRIM_DIVISOR * (1 - weakest / k);
      drivers.hagenDacOffset[d] = clampInt(dac, 0, DAC_OFFSET_MAX);
      drivers.pulseOffset[d] = clampInt(trim, 0, PULSE_OFFSET_MAX);
      if (dac < -0.5 || dac > DAC_OFFSET_MAX + 0.5 || trim > PULSE_OFFSET_MAX + 0.5) driverSuccess[d] = 0;
    }
  }
  const after = await measureDrivers(bench);
  const relative = (gain: Float64Array): Float64Array => {
    const out = new Float64Array(gain.length);
    for (const block of [0, 1]) {
      const part = Array.from(gain.subarray(block * MAC_ROWS, (block + 1) * MAC_ROWS)).sort((x, y) => x - y);
      const median = part[part.length >> 1]!;
      for (let d = block * MAC_ROWS; d < (block + 1) * MAC_ROWS; d++) out[d] = gain[d]! / median;
    }
    return out;
  };
  reports.push({ parameter: 'hagenDacThreshold_lsb', unit: 'activation LSB', target: new Float64Array(nominal.synapseDriverCount), before: before.threshold, achieved: after.threshold, success: driverSuccess });
  reports.push({ parameter: 'driverGain', unit: 'relative to the hemisphere median', target: new Float64Array(nominal.synapseDriverCount).fill(1), before: relative(before.gain), achieved: relative(after.gain), success: driverSuccess.slice() });

  // 2. Column gains.
  progress('gain', 1 / 3);
  const gainTarget = new Float64Array(NEURON_COUNT).fill(resolved.gain);
  let gains = await measureGains(bench);
  const gainBefore = gains;
  for (let round = 0; round < GAIN_ITERATIONS; round++) {
    for (let i = 0; i < NEURON_COUNT; i++) {
      for (const [field, measured] of [['gmExcitatory', gains.excitatory], ['gmInhibitory', gains.inhibitory]] as const) {
        const m = measured[i]!;
        const current = neurons[field][i]!;
        neurons[field][i] = m > 0 ? clampInt((current * resolved.gain) / m, GAIN_BIAS_RANGE[0], GAIN_BIAS_RANGE[1]) : GAIN_BIAS_RANGE[1];
      }
    }
    gains = await measureGains(bench);
  }
  for (const [receptor, field, measured, first] of [
    ['Excitatory', 'gmExcitatory', gains.excitatory, gainBefore.excitatory],
    ['Inhibitory', 'gmInhibitory', gains.inhibitory, gainBefore.inhibitory],
  ] as const) {
    const success = Uint8Array.from(measured, (m, i) => {
      const bias = neurons[field][i]!;
      return Math.abs(m / resolved.gain - 1) <= GAIN_TOLERANCE && bias > GAIN_BIAS_RANGE[0] && bias < GAIN_BIAS_RANGE[1] ? 1 : 0;
    });
    reports.push({ parameter: `gain${receptor}`, unit: 'CADC LSB per activation · weight', target: gainTarget.slice(), before: first, achieved: measured, success });
  }

  // 3. Baseline.
  progress('baseline', 2 / 3);
  let baseline = await measureBaseline(bench);
  const baselineBefore = baseline;
  const nominalSlope = 1 / capMemPerCadcLsb(resolved.baseline_lsb, 'reset');
  const slope = new Float64Array(NEURON_COUNT).fill(nominalSlope);
  for (let round = 0; round < BASELINE_ITERATIONS; round++) {
    const previous = neurons.vReset.slice();
    for (let i = 0; i < NEURON_COUNT; i++) {
      neurons.vReset[i] = clampInt(neurons.vReset[i]! + (resolved.baseline_lsb - baseline[i]!) / slope[i]!, 0, nominal.capMemValueMax_lsb);
    }
    const next = await measureBaseline(bench);
    // The slope of each neuron's voltage cell (its gain differs, §8.4), measured from the step just made.
    for (let i = 0; i < NEURON_COUNT; i++) {
      const step = neurons.vReset[i]! - previous[i]!;
      if (Math.abs(step) >= 8) slope[i] = Math.max(0.1 * nominalSlope, (next[i]! - baseline[i]!) / step);
    }
    baseline = next;
  }
  reports.push({
    parameter: 'baseline_lsb',
    unit: 'CADC LSB',
    target: new Float64Array(NEURON_COUNT).fill(resolved.baseline_lsb),
    before: baselineBefore,
    achieved: baseline,
    success: Uint8Array.from(baseline, (b) => (Math.abs(b - resolved.baseline_lsb) <= BASELINE_TOLERANCE_LSB ? 1 : 0)),
  });
  progress('done', 1);

  if (options.requireSuccess === true) {
    for (const report of reports) {
      const failed = Array.from(report.success).flatMap((ok, i) => (ok === 1 ? [] : [i]));
      if (failed.length > 0) throw new CalibrationNotSuccessfulError(report.parameter, failed);
    }
  }
  return new MacCalibrationResult({
    target: resolved,
    identity: session.identity,
    softwareVersion: CALIBRATION_SOFTWARE_VERSION,
    neurons,
    drivers,
    timing: MAC_TIMING,
    parameters: reports,
    duration_s: (now() - started) / 1000,
  });
}


const clock = (globalThis as { performance?: { now(): number } }).performance;
function now(): number {
  return clock === undefined ? Date.now() : clock.now();
}

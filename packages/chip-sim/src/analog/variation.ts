import { nominal } from '@bss2/lola';
import { Random, checkChipSeed } from './random.js';

// Fixed-pattern variation of one simulated chip (hardware.md §8.4, Choice): drawn once per chip seed, per
// circuit, each circuit from its own stream (`random.ts`), so the values of a circuit depend only on
// (seed, kind, index). Arrays are indexed by the halco enum value of the circuit: AtomicNeuronOnDLS (512),
// SynapseDriverOnDLS (256), CADCChannelConfigOnDLS (1024), SynapseOnDLS (131 072, drawn on first use).

export const NEURON_COUNT = nominal.neuronCount;
const SYNAPSE_COUNT = nominal.synapseCount;
const DRIVER_COUNT = nominal.synapseDriverCount;
const CADC_CHANNEL_COUNT = nominal.cadcChannelCount;

/** The per-neuron CapMem voltage cells (§2.6 rows 0–7): each gets an offset and a gain. */
export const voltageCells = ['vLeak', 'vReset', 'vThreshold', 'eRevExc', 'eRevInh', 'vAdaptLeak', 'vExp', 'vAdaptRef'] as const;
export type VoltageCell = (typeof voltageCells)[number];

/** Bias-controlled quantities with a log-normal gain: conductances, time constants, g_m, currents, a, b. */
export const biasGains = [
  'leakConductance',
  'resetConductance',
  'tauSynExc',
  'tauSynInh',
  'gmExc',
  'gmInh',
  'cobaScaleExc',
  'cobaScaleInh',
  'offsetCurrent',
  'tauAdaptation',
  'adaptationA',
  'adaptationB',
  'exponentialCurrent',
  'interCompartmentConductance',
] as const;
export type BiasGain = (typeof biasGains)[number];

/** Magnitudes of §8.4 (standard deviations; log-normal: σ of the logarithm, median gain 1). */
export const variationMagnitudes = Object.freeze({
  voltageOffset_mV: 20,
  voltageGainSd: 0.05,
  biasLogSigma: 0.2,
  capacitanceGainSd: 0.03,
  /** **Choice:** o_shift of §8.2 (the datasheet gives no size): N(0, 0.5 nA), within reach of `i_shift_reference`. */
  synapticShiftOffset_nA: 0.5,
  synapseWeightGainSd: 0.05,
  driverPulseGainSd: 0.1,
  /**
   * **Choice:** each driver's hagen DAC loses N(1.5, 0.5) activation LSB of every pulse (the datasheet names the
   * trim, `hagen_dac_offset`, not the offset); the trim reaches 3.94 LSB (events/driver-pulse.ts).
   */
  hagenDacOffsetMean_lsb: 1.5,
  hagenDacOffsetSd_lsb: 0.5,
  cadcOffset_lsb: 5,
  cadcGainSd: 0.03,
  correlationLogSigma: 0.2,
});

/** Temporal noise of §8.4 (seeded and switchable, separate from the fixed pattern). */
export const temporalNoiseMagnitudes = Object.freeze({ membrane_mV: 1, cadc_lsb: 1, madc_lsb: 1.5 });

type PerKind<K extends string> = Readonly<Record<K, Float64Array>>;

function filled(length: number, value: number): Float64Array {
  return new Float64Array(length).fill(value);
}

function perKind<K extends string>(kinds: readonly K[], make: (kind: K) => Float64Array): PerKind<K> {
  return Object.fromEntries(kinds.map((k) => [k, make(k)])) as Record<K, Float64Array>;
}

/** `length` values, value `i` drawn by `draw` from the stream of (seed, kind, i). */
function drawn(seed: number, kind: string, length: number, draw: (r: Random) => number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = draw(Random.forCircuit(seed, kind, i));
  return out;
}

/** Per-synapse correlation sensor gains, causal and acausal branch (§8.4). */
export interface CorrelationSensorVariation {
  readonly tauGainCausal: Float32Array;
  readonly tauGainAcausal: Float32Array;
  readonly amplitudeGainCausal: Float32Array;
  readonly amplitudeGainAcausal: Float32Array;
}

/**
 * The fixed pattern of one chip: `ChipVariation.fromSeed(seed)` draws it, `ChipVariation.ideal()` is the chip
 * without variation (all offsets 0, all gains 1: exactly the nominal transfer functions of §8.3).
 * Per neuron: voltage cells `V = gain · V_nominal + offset`; bias-controlled quantities × a log-normal gain;
 * capacitance × N(1, 0.03); o_shift per receptor. Beyond the neurons (for the event and readout models):
 * synapse weight gains, driver pulse-width gains, CADC channel offsets and gains, correlation sensor gains.
 * The two per-synapse tables (131 072 entries) are drawn on first access, as Float32Array.
 */
export class ChipVariation {
  /** The chip seed, or undefined for the ideal chip. */
  readonly seed: number | undefined;
  readonly voltageOffset_mV: PerKind<VoltageCell>;
  readonly voltageGain: PerKind<VoltageCell>;
  readonly biasGain: PerKind<BiasGain>;
  readonly capacitanceGain: Float64Array;
  readonly shiftOffsetExc_nA: Float64Array;
  readonly shiftOffsetInh_nA: Float64Array;
  readonly driverPulseGain: Float64Array;
  /** Per driver: the activation LSB its hagen DAC loses before trimming (integrator mode, §3.6). */
  readonly hagenDacOffset: Float64Array;
  readonly cadcOffset_lsb: Float64Array;
  readonly cadcGain: Float64Array;
  private weightGain: Float32Array | undefined;
  private correlation: CorrelationSensorVariation | undefined;

  private constructor(seed: number | undefined) {
    this.seed = seed;
    const m = variationMagnitudes;
    const n = NEURON_COUNT;
    if (seed === undefined) {
      this.voltageOffset_mV = perKind(voltageCells, () => filled(n, 0));
      this.voltageGain = perKind(voltageCells, () => filled(n, 1));
      this.biasGain = perKind(biasGains, () => filled(n, 1));
      this.capacitanceGain = filled(n, 1);
      this.shiftOffsetExc_nA = filled(n, 0);
      this.shiftOffsetInh_nA = filled(n, 0);
      this.driverPulseGain = filled(DRIVER_COUNT, 1);
      this.hagenDacOffset = filled(DRIVER_COUNT, 0);
      this.cadcOffset_lsb = filled(CADC_CHANNEL_COUNT, 0);
      this.cadcGain = filled(CADC_CHANNEL_COUNT, 1);
      return;
    }
    // One stream per (kind, circuit); a voltage cell draws offset, then gain, from its stream.
    this.voltageOffset_mV = perKind(voltageCells, (k) => drawn(seed, `neuron.${k}`, n, (r) => r.normal(0, m.voltageOffset_mV)));
    this.voltageGain = perKind(voltageCells, (k) =>
      drawn(seed, `neuron.${k}`, n, (r) => {
        r.normal();
        return r.normal(1, m.voltageGainSd);
      }),
    );
    this.biasGain = perKind(biasGains, (k) => drawn(seed, `neuron.${k}`, n, (r) => r.logNormal(m.biasLogSigma)));
    this.capacitanceGain = drawn(seed, 'neuron.capacitance', n, (r) => r.normal(1, m.capacitanceGainSd));
    this.shiftOffsetExc_nA = drawn(seed, 'neuron.shiftExc', n, (r) => r.normal(0, m.synapticShiftOffset_nA));
    this.shiftOffsetInh_nA = drawn(seed, 'neuron.shiftInh', n, (r) => r.normal(0, m.synapticShiftOffset_nA));
    this.driverPulseGain = drawn(seed, 'driver.pulse', DRIVER_COUNT, (r) => r.normal(1, m.driverPulseGainSd));
    this.hagenDacOffset = drawn(seed, 'driver.hagenDac', DRIVER_COUNT, (r) => r.normal(m.hagenDacOffsetMean_lsb, m.hagenDacOffsetSd_lsb));
    this.cadcOffset_lsb = drawn(seed, 'cadc.channel', CADC_CHANNEL_COUNT, (r) => r.normal(0, m.cadcOffset_lsb));
    this.cadcGain = drawn(seed, 'cadc.channel', CADC_CHANNEL_COUNT, (r) => {
      r.normal();
      return r.normal(1, m.cadcGainSd);
    });
  }

  /** The chip without variation: the documented nominal transfer functions exactly. */
  static ideal(): ChipVariation {
    return new ChipVariation(undefined);
  }

  /** The fixed pattern of the chip `seed` (0..2^32 − 1). Same seed, same values, on every platform. */
  static fromSeed(seed: number): ChipVariation {
    return new ChipVariation(checkChipSeed(seed));
  }

  get isIdeal(): boolean {
    return this.seed === undefined;
  }

  /** Weight gain N(1, 0.05) of every synapse, indexed by SynapseOnDLS (drawn on first access). */
  get synapseWeightGain(): Float32Array {
    if (this.weightGain === undefined) {
      const out = new Float32Array(SYNAPSE_COUNT);
      const seed = this.seed;
      if (seed === undefined) out.fill(1);
      else for (let i = 0; i < SYNAPSE_COUNT; i++) out[i] = Random.forCircuit(seed, 'synapse.weight', i).normal(1, variationMagnitudes.synapseWeightGainSd);
      this.weightGain = out;
    }
    return this.weightGain;
  }

  /** Log-normal τ and amplitude gains (σ 0.2) of every correlation sensor, indexed by SynapseOnDLS. */
  get correlationSensors(): CorrelationSensorVariation {
    if (this.correlation === undefined) {
      const tables = [0, 1, 2, 3].map(() => new Float32Array(SYNAPSE_COUNT));
      const seed = this.seed;
      for (let i = 0; i < SYNAPSE_COUNT; i++) {
        if (seed === undefined) {
          for (const t of tables) t[i] = 1;
          continue;
        }
        const r = Random.forCircuit(seed, 'synapse.correlation', i);
        for (const t of tables) t[i] = r.logNormal(variationMagnitudes.correlationLogSigma);
      }
      const [tauGainCausal, tauGainAcausal, amplitudeGainCausal, amplitudeGainAcausal] = tables as [Float32Array, Float32Array, Float32Array, Float32Array];
      this.correlation = { tauGainCausal, tauGainAcausal, amplitudeGainCausal, amplitudeGainAcausal };
    }
    return this.correlation;
  }
}

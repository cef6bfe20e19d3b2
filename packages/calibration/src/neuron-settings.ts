import { AtomicNeuron, nominal } from '@bss2/lola';
import { NEURON_COUNT } from './targets.js';

/**
 * The AtomicNeuron fields a LIF calibration decides per neuron (hardware.md §3.2), as `group.field`. CapMem
 * cells in CapMem LSB, switches as 0/1, backend settings as their integers.
 */
export const neuronSettingFields = [
  'leak.vLeak',
  'leak.iBias',
  'leak.enableDivision',
  'leak.enableMultiplication',
  'reset.vReset',
  'reset.iBias',
  'threshold.vThreshold',
  'excitatoryInput.iBiasTau',
  'excitatoryInput.iBiasGm',
  'excitatoryInput.iShiftReference',
  'excitatoryInput.enableHighResistance',
  'inhibitoryInput.iBiasTau',
  'inhibitoryInput.iBiasGm',
  'inhibitoryInput.iShiftReference',
  'inhibitoryInput.enableHighResistance',
  'membraneCapacitance.capacitance',
  'refractoryPeriod.refractoryTime',
  'refractoryPeriod.resetHoldoff',
  'refractoryPeriod.inputClock',
] as const;
export type NeuronSettingField = (typeof neuronSettingFields)[number];

/** One Int32Array(512) per field, indexed by AtomicNeuronOnDLS enum. */
export type NeuronSettings = Record<NeuronSettingField, Int32Array>;

export function emptyNeuronSettings(): NeuronSettings {
  return Object.fromEntries(neuronSettingFields.map((f) => [f, new Int32Array(NEURON_COUNT)])) as NeuronSettings;
}

/**
 * Reset bias (CapMem LSB), with the ×8 range switch: the strongest reset OTA, g_reset = 8 · 1 nS · 1022 ≈ 8.2 µS
 * (§8.3). Even so the reset is not instantaneous: τ_reset = C_m / g_reset is 270 ns at the full 2.2 pF, so a
 * reset phase needs ≈ 1.2 µs to reach its potential within 1 % (pynn checks refractory times against this).
 */
export const RESET_BIAS_LSB = nominal.capMemValueMax_lsb;
export const RESET_MULTIPLICATION = true;

/**
 * Raw AdEx settings written unchanged into every neuron (hardware.md §9.1: adaptation and the exponential
 * term are not calibrated). Off by default: the LIF flow.
 */
export interface RawAdExSettings {
  readonly adaptation?: Partial<ReturnType<AtomicNeuron['adaptation']['values']>>;
  readonly exponential?: Partial<ReturnType<AtomicNeuron['exponential']['values']>>;
}

/**
 * The LIF neuron every calibrated neuron starts from: threshold comparator on, spikes routed out (analog
 * output normal, digital output on), both synaptic inputs on with the small capacitance, a strong reset,
 * readout off. Calibrated fields are set on top of it; raw AdEx settings last.
 */
export function lifNeuronBase(adex: RawAdExSettings = {}): AtomicNeuron {
  const neuron = new AtomicNeuron({
    threshold: { enable: true },
    reset: { iBias: RESET_BIAS_LSB, enableMultiplication: RESET_MULTIPLICATION },
    excitatoryInput: { enable: true },
    inhibitoryInput: { enable: true },
    ...(adex.adaptation === undefined ? {} : { adaptation: adex.adaptation }),
    ...(adex.exponential === undefined ? {} : { exponential: adex.exponential }),
  });
  neuron.eventRouting = AtomicNeuron.EventRouting.enabled;
  return neuron;
}

/** Writes the settings of neuron `i` into `neuron` (in place). */
export function applyNeuronSettings(neuron: AtomicNeuron, settings: NeuronSettings, i: number): AtomicNeuron {
  for (const path of neuronSettingFields) {
    const [group, field] = path.split('.') as [string, string];
    const record = (neuron as unknown as Record<string, Record<string, unknown>>)[group]!;
    const value = settings[path][i]!;
    record[field] = typeof record[field] === 'boolean' ? value !== 0 : value;
  }
  return neuron;
}

// Neuron parameters as the model sees them and as the chip is calibrated to (hardware.md §11.2): a number is
// the same value for both; `mixed(model, hardware)` gives each side its own (the reference's
// MixedHXModelParameter), e.g. a threshold of 1 in the model and 125 CADC LSB on the chip.
import { SpikingParameterError, describeValue } from './errors.js';

export interface MixedParameter {
  readonly model: number;
  readonly hardware: number;
}

export type Parameter = number | MixedParameter;

/** A parameter with one value for the software model and another for the chip. */
export function mixed(model: number, hardware: number): MixedParameter {
  return { model, hardware };
}

export function modelValue(p: Parameter): number {
  return typeof p === 'number' ? p : p.model;
}

export function hardwareValue(p: Parameter): number {
  return typeof p === 'number' ? p : p.hardware;
}

/** Checks a parameter's model and hardware values against `rule`; throws SpikingParameterError naming them. */
export function checkParameter(module: string, name: string, p: unknown, ok: (x: number) => boolean, rule: string): Parameter {
  const values = typeof p === 'number' ? [p] : p !== null && typeof p === 'object' && 'model' in p && 'hardware' in p ? [(p as MixedParameter).model, (p as MixedParameter).hardware] : undefined;
  if (values === undefined) throw new SpikingParameterError(`${module}: ${name} is a number or mixed(model, hardware), got ${describeValue(p)}`, { module, parameter: name, value: p, rule });
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      throw new SpikingParameterError(`${module}: ${name} = ${describeValue(v)} breaks the rule: ${rule}`, { module, parameter: name, value: v, rule });
    }
  }
  return p as Parameter;
}

/**
 * LIF parameters. Times in biological ms (1 ms ≙ 1 µs on the chip, as in pynn); potentials in the model's unit
 * and, on the chip side, CADC LSB (the calibration's units). Defaults as the reference's LIF on a normalised
 * membrane: leak and reset 0 (chip 80), threshold 1 (chip 125), τ_mem = τ_syn = 10 ms, refractory 1 ms.
 */
export interface LIFParameters {
  readonly leak: Parameter;
  readonly reset: Parameter;
  readonly threshold: Parameter;
  readonly tauMem_ms: number;
  readonly tauSyn_ms: number;
  readonly refractory_ms: number;
  /** SuperSpike steepness α (per model unit of v − θ). */
  readonly alpha: number;
}

export type LIParameters = Pick<LIFParameters, 'leak' | 'threshold' | 'tauMem_ms' | 'tauSyn_ms'>;

export const DEFAULT_LIF_PARAMETERS: LIFParameters = Object.freeze({
  leak: mixed(0, 80),
  reset: mixed(0, 80),
  threshold: mixed(1, 125),
  tauMem_ms: 10,
  tauSyn_ms: 10,
  refractory_ms: 1,
  alpha: 50,
});

/** Validated LIF parameters with defaults filled in. */
export function lifParameters(module: string, given: Partial<LIFParameters> = {}, dt_ms: number): LIFParameters {
  const p = { ...DEFAULT_LIF_PARAMETERS, ...given };
  checkParameter(module, 'leak', p.leak, () => true, 'finite');
  checkParameter(module, 'reset', p.reset, () => true, 'finite');
  checkParameter(module, 'threshold', p.threshold, () => true, 'finite');
  if (!(modelValue(p.threshold) > modelValue(p.leak))) throw new SpikingParameterError(`${module}: the model threshold ${modelValue(p.threshold)} must lie above the leak ${modelValue(p.leak)}`, { module, parameter: 'threshold', value: p.threshold });
  if (!(hardwareValue(p.threshold) > hardwareValue(p.leak))) throw new SpikingParameterError(`${module}: the chip threshold ${hardwareValue(p.threshold)} must lie above the leak ${hardwareValue(p.leak)}`, { module, parameter: 'threshold', value: p.threshold });
  for (const name of ['tauMem_ms', 'tauSyn_ms'] as const) {
    checkParameter(module, name, p[name], (x) => x > dt_ms, `a time constant in ms above the time step dt = ${dt_ms} ms`);
  }
  checkParameter(module, 'refractory_ms', p.refractory_ms, (x) => x >= 0, 'a time in ms ≥ 0');
  checkParameter(module, 'alpha', p.alpha, (x) => x > 0, 'a steepness > 0');
  return p;
}

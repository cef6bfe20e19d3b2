import { LinearPrediction } from '../algorithms/linear-prediction.js';
import type { ParameterReport } from '../calibration-result.js';
import type { NeuronSettingField } from '../neuron-settings.js';
import { CAPMEM_MAX_LSB, ParameterRange } from '../parameter-range.js';
import { NEURON_COUNT } from '../targets.js';
import type { CalibrationContext } from './context.js';

/** A miss larger than this fraction of the target marks the neuron unsuccessful. */
export const TIME_CONSTANT_TOLERANCE = 0.05;

/**
 * Searches a bias per neuron for a time constant: τ = C / (g · bias) or 300 µs / bias (§8.3), so 1/τ is linear
 * in the bias and LinearPrediction on the reciprocal lands in one or two rounds. The first probe is the
 * nominal setting (the "before"); its miss predicts the second, through the origin.
 */
export async function searchTimeConstant(
  ctx: CalibrationContext,
  parameter: string,
  field: NeuronSettingField,
  target: Float64Array,
  measure: (settings: Int32Array) => Promise<Float64Array>,
): Promise<ParameterReport> {
  const nominal = Int32Array.from(ctx.settings[field]);
  let before: Float64Array | undefined;
  const search = new LinearPrediction({
    // τ ∝ 1 / bias: the first probe alone predicts the bias for the target; the secant then refines.
    probes: [nominal, (setting, tau, target) => (setting * tau) / target],
    iterations: 1,
    linearize: (tau) => 1 / tau,
    onStep: (step, _s, results) => {
      if (step === 0) before = Float64Array.from(results);
    },
  });
  const outcome = await search.run({ target, range: new ParameterRange(1, CAPMEM_MAX_LSB), inverted: true, measure });
  ctx.settings[field].set(outcome.settings);
  return {
    parameter,
    unit: 'µs',
    target: Float64Array.from(target),
    before: before ?? new Float64Array(NEURON_COUNT),
    achieved: Float64Array.from(outcome.results),
    success: Uint8Array.from(outcome.success, (ok, i) => (ok === 1 && Math.abs(outcome.results[i]! / target[i]! - 1) <= TIME_CONSTANT_TOLERANCE ? 1 : 0)),
  };
}

import type { ParameterReport } from '../calibration-result.js';
import { LinearPrediction } from '../algorithms/linear-prediction.js';
import { requireLiveReadout } from '../measurement/cadc-readout.js';
import type { NeuronSettingField } from '../neuron-settings.js';
import { ParameterRange } from '../parameter-range.js';
import { NEURON_COUNT } from '../targets.js';
import type { CalibrationContext } from './context.js';
import { type PotentialCell, capMemPerCadcLsb, potentialSetting } from './nominal.js';

/** A potential calibration: which cell, which target, how one setting vector is measured. */
export interface PotentialProblem {
  readonly parameter: string;
  readonly field: NeuronSettingField;
  readonly target: Float64Array;
  /** Measures every neuron (CADC LSB) with `settings` in `field`. */
  readonly measure: (settings: Int32Array) => Promise<Float64Array>;
}

/** The transfer of each searched cell (lola `neuronVoltageTransfers`). */
const CELL_OF_FIELD: Partial<Record<NeuronSettingField, PotentialCell>> = { 'leak.vLeak': 'leak', 'reset.vReset': 'reset', 'threshold.vThreshold': 'threshold' };

/** A miss larger than this (CADC LSB) marks the neuron unsuccessful even inside the range. */
export const POTENTIAL_TOLERANCE_LSB = 2;

/**
 * Searches a CapMem voltage cell per neuron so its CADC reading meets the target (hardware.md §9.1 steps 5
 * and 7). The cell drives the potential through its nominal transfer (linear for reset and threshold, a smooth
 * saturating curve for the leak; lola `neuronVoltageTransfers`) with the circuit's gain and offset on top
 * (§8.4), so LinearPrediction converges in one or two rounds where a binary search needs twelve programs: the
 * first probe is the nominal setting (that reading is the "before"), the second corrects its miss with the
 * nominal slope at that setting, and the secant through both removes the gain error.
 */
export async function searchPotential(ctx: CalibrationContext, problem: PotentialProblem): Promise<ParameterReport> {
  const cell = CELL_OF_FIELD[problem.field] ?? 'plain';
  const nominal = Int32Array.from(problem.target, (code) => potentialSetting(code, cell));
  const slope = Float64Array.from(problem.target, (code) => capMemPerCadcLsb(code, cell));
  let before: Float64Array | undefined;
  const search = new LinearPrediction({
    // The second probe corrects the first miss with the nominal slope (§8.3; the gain varies by 5 %, §8.4).
    probes: [nominal, (setting, result, target, i) => setting + (target - result) * slope[i]!],
    iterations: 2,
    onStep: (step, _settings, results) => {
      if (step === 0) {
        requireLiveReadout(results, problem.parameter);
        before = Float64Array.from(results);
      }
    },
  });
  const outcome = await search.run({ target: problem.target, range: ParameterRange.capMem, measure: problem.measure });
  const settings = ctx.settings[problem.field];
  settings.set(outcome.settings);
  const success = Uint8Array.from(outcome.success, (ok, i) => (ok === 1 && Math.abs(outcome.results[i]! - problem.target[i]!) <= POTENTIAL_TOLERANCE_LSB ? 1 : 0));
  return {
    parameter: problem.parameter,
    unit: 'CADC LSB',
    target: Float64Array.from(problem.target),
    before: before ?? new Float64Array(NEURON_COUNT),
    achieved: Float64Array.from(outcome.results),
    success,
  };
}

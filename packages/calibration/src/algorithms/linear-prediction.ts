import { AlgorithmError } from '../errors.js';
import { BestOf, type Search, type SearchOutcome, type SearchProblem, direction, instanceCount, measureChecked, startVector } from './search.js';

/** Predicts the second probe of an instance from its first setting and result. */
export type SecondProbe = (setting: number, result: number, target: number, instance: number) => number;

export interface LinearPredictionOptions {
  /**
   * The two probe settings (one for all, or one per instance); they must differ. The second may instead be
   * predicted from the first measurement, per instance, with what is known of the transfer function
   * (`(setting, result, target, instance) => setting`), which usually lands it next to the target already.
   */
  readonly probes: readonly [number | Int32Array, number | Int32Array | SecondProbe];
  /** Prediction rounds after the two probes (default 3). */
  readonly iterations?: number;
  /**
   * Maps a result onto a quantity that is linear in the setting; default identity. Time constants use the
   * reciprocal: τ_syn = 300 µs / i_bias_tau and τ_mem = C / (g · i_bias) (hardware.md §8.3).
   */
  readonly linearize?: (result: number) => number;
  readonly onStep?: (step: number, settings: Int32Array, results: Float64Array) => void;
}

/**
 * Probe, fit, predict (calix `LinearPrediction`, hardware.md §9.2), per instance: two probes give a line
 * through (setting, linearize(result)); the setting where the line meets linearize(target) is measured next,
 * and every later round fits the line through the last two distinct settings (the secant method). Where the
 * transfer function is linear up to the variation of its gain and offset (potentials, and time constants
 * through the reciprocal), one or two rounds land on the target; the best measured setting is kept. A flat
 * or reversed line (noise) falls back to a step of an eighth of the range towards the target.
 */
export class LinearPrediction implements Search {
  constructor(private readonly options: LinearPredictionOptions) {
    const iterations = options.iterations ?? 3;
    if (!(Number.isInteger(iterations) && iterations >= 0)) throw new AlgorithmError(`LinearPrediction iterations = ${iterations}: expected an integer ≥ 0`);
  }

  async run(problem: SearchProblem): Promise<SearchOutcome> {
    const n = instanceCount(problem);
    const { range, target } = problem;
    const inverted = problem.inverted === true;
    const f = this.options.linearize ?? ((r: number) => r);
    const best = new BestOf(problem);
    let s0 = startVector(this.options.probes[0], n, range);
    let measurements = 0;
    const measure = async (settings: Int32Array): Promise<Float64Array> => {
      const results = await measureChecked(problem, settings);
      this.options.onStep?.(measurements, settings, results);
      measurements++;
      best.offer(settings, results);
      return results;
    };
    let r0 = await measure(s0);
    const second = this.options.probes[1];
    let s1 =
      typeof second === 'function'
        ? startVector(Int32Array.from(s0, (s, i) => secondProbe(second, s, r0[i]!, target[i]!, i, range.size)), n, range)
        : startVector(second, n, range);
    for (let i = 0; i < n; i++) {
      // A prediction that repeats the first probe (already on target) moves by one LSB: the line needs two points.
      if (s0[i] === s1[i]) s1[i] = s0[i]! < range.max ? s0[i]! + 1 : s0[i]! - 1;
    }
    let r1 = await measure(s1);
    const iterations = this.options.iterations ?? 3;
    for (let k = 0; k < iterations; k++) {
      const next = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const y0 = f(r0[i]!);
        const y1 = f(r1[i]!);
        const slope = (y1 - y0) / (s1[i]! - s0[i]!);
        const expectedSign = inverted === (f(2) < f(1)) ? 1 : -1;
        const usable = Number.isFinite(slope) && slope !== 0 && Math.sign(slope) === expectedSign;
        next[i] = usable
          ? range.clamp(s1[i]! + (f(target[i]!) - y1) / slope)
          : range.clamp(s1[i]! + direction(r1[i]!, target[i]!, inverted) * Math.max(1, Math.ceil(range.size / 8)));
      }
      const rNext = await measure(next);
      // Keep the older point where the prediction repeats the last setting: the secant needs two distinct ones.
      const s0n = new Int32Array(n);
      const r0n = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const same = next[i] === s1[i];
        s0n[i] = same ? s0[i]! : s1[i]!;
        r0n[i] = same ? r0[i]! : r1[i]!;
      }
      s0 = s0n;
      r0 = r0n;
      s1 = next;
      r1 = rNext;
    }
    return best.outcome(measurements);
  }
}

function secondProbe(f: SecondProbe, setting: number, result: number, target: number, instance: number, size: number): number {
  const predicted = f(setting, result, target, instance);
  // Nothing measured (NaN) or a wild prediction: a fixed step of an eighth of the range instead.
  return Number.isFinite(predicted) ? predicted : setting + Math.ceil(size / 8);
}

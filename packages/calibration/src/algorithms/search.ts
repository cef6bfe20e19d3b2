import { AlgorithmError } from '../errors.js';
import type { ParameterRange } from '../parameter-range.js';

/**
 * Measures every instance (e.g. the 512 neurons) at the given settings, one setting and one result per
 * instance, in the parameter's hardware units. The searches call it once per step with the whole vector, so
 * one playback program measures all circuits in parallel (hardware.md §9.2).
 */
export type InstanceMeasurement = (settings: Int32Array) => Promise<Float64Array> | Float64Array;

/** What a search is asked: reach `target` per instance by moving a setting within `range`. */
export interface SearchProblem {
  /** Per-instance target of the measured result; its length is the number of instances. */
  readonly target: Float64Array;
  readonly range: ParameterRange;
  /** The result falls as the setting rises (e.g. a time constant against its bias current). */
  readonly inverted?: boolean;
  readonly measure: InstanceMeasurement;
}

/** What a search found, per instance. */
export interface SearchOutcome {
  readonly settings: Int32Array;
  /** The result measured at `settings`. */
  readonly results: Float64Array;
  /** 0 where the setting ended on a range boundary with the target beyond it (hardware.md §9.2). */
  readonly success: Uint8Array;
  /** Number of calls to `measure`. */
  readonly measurements: number;
}

/** A search over vectors of instances (calix `Algorithm`). */
export interface Search {
  run(problem: SearchProblem): Promise<SearchOutcome>;
}

/** Checks a problem and the shape of each measurement; returns the instance count. */
export function instanceCount(problem: SearchProblem): number {
  const n = problem.target.length;
  if (n === 0) throw new AlgorithmError('a search needs at least one instance');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(problem.target[i]!)) throw new AlgorithmError(`target of instance ${i} is ${problem.target[i]}, expected a finite number`);
  }
  return n;
}

/** Calls `measure` and checks that it answered one finite-or-NaN number per instance. */
export async function measureChecked(problem: SearchProblem, settings: Int32Array): Promise<Float64Array> {
  const results = await problem.measure(settings);
  if (results.length !== settings.length) {
    throw new AlgorithmError(`measurement returned ${results.length} results for ${settings.length} instances`);
  }
  return results;
}

/**
 * +1 if instance `i` must raise its setting to approach its target, −1 to lower it, 0 on target. A result
 * above target means "go down" unless the parameter is inverted (hardware.md §9.2). NaN (nothing measured)
 * counts as "go down", towards the quieter side of most parameters; a NaN never wins the best-of comparison.
 */
export function direction(result: number, target: number, inverted: boolean): number {
  if (result === target) return 0;
  const above = !(result < target);
  return (above ? -1 : 1) * (inverted ? -1 : 1);
}

/**
 * Keeps, per instance, the setting whose result was closest to target among the recorded candidates, and
 * decides success: an instance fails when its best setting lies on a boundary of the range and the target
 * lies beyond it (the search wanted to go further).
 */
export class BestOf {
  readonly settings: Int32Array;
  readonly results: Float64Array;
  private readonly error: Float64Array;
  private readonly offered: Uint8Array;

  constructor(private readonly problem: SearchProblem) {
    const n = problem.target.length;
    this.settings = new Int32Array(n);
    this.results = new Float64Array(n).fill(NaN);
    this.error = new Float64Array(n).fill(Infinity);
    this.offered = new Uint8Array(n);
  }

  /** Offers the settings and results of one measurement; instance `i` keeps it if it is closer. */
  offer(settings: Int32Array, results: Float64Array, only?: (i: number) => boolean): void {
    const target = this.problem.target;
    for (let i = 0; i < settings.length; i++) {
      if (only !== undefined && !only(i)) continue;
      const error = Math.abs(results[i]! - target[i]!);
      const score = Number.isNaN(error) ? Infinity : error;
      // The first candidate is always taken, so an instance that never measured anything still has a setting.
      if (this.offered[i] === 0 || score < this.error[i]!) {
        this.offered[i] = 1;
        this.error[i] = score;
        this.settings[i] = settings[i]!;
        this.results[i] = results[i]!;
      }
    }
  }

  outcome(measurements: number): SearchOutcome {
    const { range, target } = this.problem;
    const inverted = this.problem.inverted === true;
    const success = new Uint8Array(this.settings.length);
    for (let i = 0; i < success.length; i++) {
      const s = this.settings[i]!;
      const wants = direction(this.results[i]!, target[i]!, inverted);
      const blocked = (s <= range.min && wants < 0) || (s >= range.max && wants > 0);
      success[i] = blocked || Number.isNaN(this.results[i]!) ? 0 : 1;
    }
    return { settings: this.settings, results: this.results, success, measurements };
  }
}

/** A start vector: one value for all instances, or one per instance; clamped to the range. */
export function startVector(start: number | Int32Array | undefined, n: number, range: ParameterRange): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = start === undefined ? range.min + Math.round(range.size / 2) : typeof start === 'number' ? start : start[i]!;
    if (!Number.isFinite(s)) throw new AlgorithmError(`start value of instance ${i} is ${s}, expected a finite number`);
    out[i] = range.clamp(s);
  }
  return out;
}

import { AlgorithmError } from '../errors.js';
import { BestOf, type Search, type SearchOutcome, type SearchProblem, direction, instanceCount, measureChecked, startVector } from './search.js';

export interface LinearSearchOptions {
  /** Start setting, one for all or one per instance (default: middle of the range). */
  readonly start?: number | Int32Array;
  /** Size of each step in LSB (positive). */
  readonly step_lsb: number;
  /** Bound on the number of steps. */
  readonly maxSteps: number;
}

/**
 * Linear search (calix `LinearSearch`, hardware.md §9.2): every instance moves by a fixed step towards its
 * target until the result crosses it, at most `maxSteps` times; an instance that crossed stays put. The better
 * of the two settings around the crossing is kept. Suited to coarse parameters (range switches, small ranges).
 */
export class LinearSearch implements Search {
  constructor(private readonly options: LinearSearchOptions) {
    if (!(Number.isInteger(options.step_lsb) && options.step_lsb > 0)) throw new AlgorithmError(`LinearSearch step_lsb = ${options.step_lsb}: expected a positive integer`);
    if (!(Number.isInteger(options.maxSteps) && options.maxSteps >= 1)) throw new AlgorithmError(`LinearSearch maxSteps = ${options.maxSteps}: expected an integer ≥ 1`);
  }

  async run(problem: SearchProblem): Promise<SearchOutcome> {
    const n = instanceCount(problem);
    const { range, target } = problem;
    const inverted = problem.inverted === true;
    const settings = startVector(this.options.start, n, range);
    const firstDirection = new Int8Array(n);
    const done = new Uint8Array(n);
    const best = new BestOf(problem);
    let measurements = 0;
    for (let k = 0; k <= this.options.maxSteps; k++) {
      const results = await measureChecked(problem, settings);
      measurements++;
      best.offer(settings, results, (i) => done[i] === 0);
      let moving = 0;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const d = direction(results[i]!, target[i]!, inverted);
        if (k === 0) firstDirection[i] = d;
        const next = range.clamp(settings[i]! + d * this.options.step_lsb);
        if (d === 0 || d !== firstDirection[i] || next === settings[i]) {
          done[i] = 1;
          continue;
        }
        settings[i] = next;
        moving++;
      }
      if (moving === 0) break;
    }
    return best.outcome(measurements);
  }
}

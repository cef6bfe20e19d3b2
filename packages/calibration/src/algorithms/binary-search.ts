import { SeededRandom } from '../random.js';
import { BestOf, type Search, type SearchOutcome, type SearchProblem, direction, instanceCount, measureChecked, startVector } from './search.js';

export interface BinarySearchOptions {
  /** Start setting (default: the middle of the range), one for all or one per instance. */
  readonly start?: number | Int32Array;
  /** Called after every measurement with the step index and the results (progress, logging). */
  readonly onStep?: (step: number, settings: Int32Array, results: Float64Array) => void;
}

/**
 * Parallel binary search (calix `BinarySearch`, hardware.md §9.2): start mid-range, `⌈log2(range + 1)⌉ + 2`
 * steps, step `k` of size `⌈range / 2^(k+2)⌉`, down when the result is above target (up if inverted). The
 * steps shrink to 1 before the end, so the last ones probe the neighbours of the converged setting; the best of
 * the last three measurements is kept, which absorbs one noisy comparison near the end.
 */
export class BinarySearch implements Search {
  constructor(protected readonly options: BinarySearchOptions = {}) {}

  /** Number of steps for a range of `size` LSB. */
  steps(size: number): number {
    return Math.ceil(Math.log2(size + 1)) + 2;
  }

  protected start(problem: SearchProblem, n: number): Int32Array {
    return startVector(this.options.start, n, problem.range);
  }

  async run(problem: SearchProblem): Promise<SearchOutcome> {
    const n = instanceCount(problem);
    const { range, target } = problem;
    const inverted = problem.inverted === true;
    const steps = this.steps(range.size);
    const settings = this.start(problem, n);
    const best = new BestOf(problem);
    let measurements = 0;
    for (let k = 0; k <= steps; k++) {
      const results = await measureChecked(problem, settings);
      measurements++;
      this.options.onStep?.(k, settings, results);
      if (k >= steps - 2) best.offer(settings, results);
      if (k === steps) break;
      const size = Math.max(1, Math.ceil(range.size / 2 ** (k + 2)));
      for (let i = 0; i < n; i++) settings[i] = range.clamp(settings[i]! + size * direction(results[i]!, target[i]!, inverted));
    }
    return best.outcome(measurements);
  }
}

export interface NoisyBinarySearchOptions extends BinarySearchOptions {
  /** Half width of the uniform start jitter in LSB (default 5, hardware.md §9.2). */
  readonly jitter_lsb?: number;
  /** Seed of the jitter, so a calibration is repeatable. */
  readonly seed?: number;
}

/**
 * Binary search with start values jittered by uniform ±5 LSB and one more step (calix `NoisyBinarySearch`,
 * hardware.md §9.2): the jitter keeps many circuits from sharing a CapMem value, the extra step gives the
 * jittered start room to converge. Used for threshold, leak, reset, τ_mem and τ_syn.
 */
export class NoisyBinarySearch extends BinarySearch {
  constructor(protected override readonly options: NoisyBinarySearchOptions = {}) {
    super(options);
  }

  override steps(size: number): number {
    return super.steps(size) + 1;
  }

  protected override start(problem: SearchProblem, n: number): Int32Array {
    const base = super.start(problem, n);
    const jitter = this.options.jitter_lsb ?? 5;
    const random = new SeededRandom(this.options.seed ?? 0x5eed);
    for (let i = 0; i < n; i++) base[i] = problem.range.clamp(base[i]! + random.integer(-jitter, jitter));
    return base;
  }
}

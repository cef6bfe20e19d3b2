// Seeded random numbers for connectors and host-generated Poisson sources: experiments must be repeatable, so
// no Math.random; pure-rand's xoroshiro128+ keeps the core platform-neutral.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { NotSupportedError, ParameterError } from './errors.js';
import { checkOptions } from './options.js';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** PyNN's `NumpyRNG(seed=…)`: a seeded generator for connectors and spike sources. */
export class NumpyRNG {
  readonly seed: number;
  #generator: Generator;

  constructor(options: { seed?: number } = {}) {
    checkOptions(options, 'NumpyRNG', ['seed'], { Unknown: ParameterError, NotSupported: NotSupportedError }, {}, {
      parallelSafe: 'one process draws every number (no MPI): the sequence is the same however the simulation is distributed',
    });
    const seed = options.seed ?? 1;
    if (!Number.isSafeInteger(seed)) throw new ParameterError(`NumpyRNG seed must be an integer, got ${String(seed)}`, { parameter: 'seed', value: seed });
    this.seed = seed;
    this.#generator = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.#generator);
  }

  /** Uniform integer in min..max inclusive. */
  integer(min: number, max: number): number {
    return uniformInt(this.#generator, min, max);
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** `count` distinct integers of 0..n−1 in random order (partial Fisher–Yates). */
  sample(n: number, count: number): number[] {
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = this.integer(i, n - 1);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, count);
  }

  /** Poisson process of `rate_hz` on [start_ms, stop_ms): sorted times in ms. */
  poissonProcess(rate_hz: number, start_ms: number, stop_ms: number): number[] {
    const times: number[] = [];
    if (rate_hz <= 0) return times;
    const mean_ms = 1000 / rate_hz;
    for (let t = start_ms + this.exponential(mean_ms); t < stop_ms; t += this.exponential(mean_ms)) times.push(t);
    return times;
  }
}

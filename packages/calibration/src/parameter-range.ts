import { nominal } from '@bss2/lola';
import { AlgorithmError } from './errors.js';

/** Largest value a CapMem cell holds (the next code is the "do not refresh" sentinel, hardware.md §3.1). */
export const CAPMEM_MAX_LSB = nominal.capMemValueMax_lsb;

/**
 * The settings a search may use for one parameter, inclusive, in the parameter's hardware unit (CapMem LSB for
 * analog cells). Searches clamp to it; ending on a boundary marks the instance unsuccessful (hardware.md §9.2).
 */
export class ParameterRange {
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!(Number.isInteger(min) && Number.isInteger(max) && min <= max)) {
      throw new AlgorithmError(`ParameterRange(${min}, ${max}): expected integers with min <= max`);
    }
  }

  /** The whole CapMem cell range 0..1022. */
  static readonly capMem = new ParameterRange(0, CAPMEM_MAX_LSB);

  get size(): number {
    return this.max - this.min;
  }

  clamp(value: number): number {
    return Math.min(this.max, Math.max(this.min, Math.round(value)));
  }

  /** True at either boundary. */
  atBoundary(value: number): boolean {
    return value <= this.min || value >= this.max;
  }

  toString(): string {
    return `${this.min}..${this.max}`;
  }
}

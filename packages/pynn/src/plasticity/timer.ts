// PyNN's plasticity Timer (hardware.md §11.1): when a rule's kernel runs, in biological ms from the segment's
// start; clipped to each run.
import type { PlasticityTimer } from '@bss2/execution';
import { describeValue } from '../describe.js';
import { msToChipMicroseconds } from '../units.js';
import { PlasticityError } from './errors.js';

export interface TimerParameters {
  /** First invocation, ms of the segment (biological). */
  readonly start: number;
  /** Between invocations, ms (biological); 0 only with numPeriods ≤ 1. */
  readonly period: number;
  readonly numPeriods: number;
}

/** `Timer({ start, period, numPeriods })`: invocations at `start + k·period`, k < numPeriods (biological ms). */
export class Timer {
  readonly start: number;
  readonly period: number;
  readonly numPeriods: number;

  constructor(parameters: TimerParameters) {
    const p = parameters as Partial<TimerParameters> | undefined;
    if (p === null || typeof p !== 'object') throw new PlasticityError(`Timer takes { start, period, numPeriods } (ms), got ${describeValue(p)}`, { parameter: 'Timer', value: p });
    for (const key of Object.keys(p)) {
      if (!['start', 'period', 'numPeriods'].includes(key)) throw new PlasticityError(`Timer has no parameter '${key}' (parameters: start, period, numPeriods)`, { parameter: key, value: (p as Record<string, unknown>)[key] });
    }
    const { start, period, numPeriods } = p;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) throw new PlasticityError(`Timer start ${describeValue(start)} must be a time ≥ 0 ms`, { parameter: 'start', value: start });
    if (!Number.isSafeInteger(numPeriods) || numPeriods! < 0) throw new PlasticityError(`Timer numPeriods ${describeValue(numPeriods)} must be an integer ≥ 0`, { parameter: 'numPeriods', value: numPeriods });
    if (typeof period !== 'number' || !Number.isFinite(period) || period < 0 || (period === 0 && numPeriods! > 1)) {
      throw new PlasticityError(`Timer period ${describeValue(period)} must be > 0 ms (0 only with numPeriods ≤ 1)`, { parameter: 'period', value: period });
    }
    this.start = start;
    this.period = period;
    this.numPeriods = numPeriods!;
  }

  /** The invocation times, ms. */
  times(): number[] {
    return Array.from({ length: this.numPeriods }, (_, k) => this.start + k * this.period);
  }

  /** In chip time (1 ms biological = 1 µs on the chip). */
  toChip(): PlasticityTimer {
    return { start_us: msToChipMicroseconds(this.start), period_us: msToChipMicroseconds(this.period), numPeriods: this.numPeriods };
  }
}

import { nominal } from '@bss2/lola';
import type { EventSink } from './chip-model.js';
import { ChipModelEventError } from './errors.js';

export const EventKind = { spike: 0, madcSample: 1 } as const;

const LABEL_MAX = 0xffff;
const MADC_VALUE_MAX = nominal.madcCodeMax_lsb;

/**
 * The events a model reported since the last flush, structure of arrays in growable typed arrays (style.md,
 * "The simulator's hot loop"): no object per event. Values are checked on entry, so a faulty model fails at
 * its own call and never leaves a half-written response stream.
 */
export class EventBuffer implements EventSink {
  kind = new Uint8Array(64);
  /** Spike label or MADC value. */
  value = new Uint16Array(64);
  channel = new Uint8Array(64);
  cycle = new Float64Array(64);
  halfCycle = new Uint8Array(64);
  length = 0;
  private sorted = true;

  spike(label: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    if (!(Number.isInteger(label) && label >= 0 && label <= LABEL_MAX)) {
      throw new ChipModelEventError('spike.label', label, `an integer in 0..${LABEL_MAX}`);
    }
    this.push(EventKind.spike, label, 0, cycle, halfCycle);
  }

  madcSample(value: number, channel: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    if (!(Number.isInteger(value) && value >= 0 && value <= MADC_VALUE_MAX)) {
      throw new ChipModelEventError('madcSample.value', value, `an integer in 0..${MADC_VALUE_MAX}`);
    }
    if (channel !== 0 && channel !== 1) throw new ChipModelEventError('madcSample.channel', channel, '0 or 1');
    this.push(EventKind.madcSample, value, channel, cycle, halfCycle);
  }

  private push(kind: number, value: number, channel: number, cycle: number, halfCycle: number): void {
    if (!(Number.isSafeInteger(cycle) && cycle >= 0)) throw new ChipModelEventError('cycle', cycle, 'a non-negative integer FPGA cycle');
    if (halfCycle !== 0 && halfCycle !== 1) throw new ChipModelEventError('halfCycle', halfCycle, '0 or 1');
    const n = this.length;
    if (n === this.kind.length) this.grow();
    if (n > 0 && (cycle < this.cycle[n - 1]! || (cycle === this.cycle[n - 1]! && halfCycle < this.halfCycle[n - 1]!))) {
      this.sorted = false;
    }
    this.kind[n] = kind;
    this.value[n] = value;
    this.channel[n] = channel;
    this.cycle[n] = cycle;
    this.halfCycle[n] = halfCycle;
    this.length = n + 1;
  }

  private grow(): void {
    const size = 2 * this.kind.length;
    const copy = <T extends Uint8Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.value = copy(this.value, (n) => new Uint16Array(n));
    this.channel = copy(this.channel, (n) => new Uint8Array(n));
    this.cycle = copy(this.cycle, (n) => new Float64Array(n));
    this.halfCycle = copy(this.halfCycle, (n) => new Uint8Array(n));
  }

  /** Puts the events in time order (stable), for a model that reported them out of order. */
  sortByTime(): void {
    if (this.sorted) return;
    const n = this.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const time = (i: number): number => 2 * this.cycle[i]! + this.halfCycle[i]!;
    order.sort((a, b) => time(a) - time(b) || a - b);
    const permute = <T extends Uint8Array | Uint16Array | Float64Array>(a: T): void => {
      const old = a.slice(0, n);
      for (let i = 0; i < n; i++) a[i] = old[order[i]!]!;
    };
    permute(this.kind);
    permute(this.value);
    permute(this.channel);
    permute(this.cycle);
    permute(this.halfCycle);
    this.sorted = true;
  }

  clear(): void {
    this.length = 0;
    this.sorted = true;
  }
}

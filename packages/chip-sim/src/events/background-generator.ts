import { BackgroundSpikeSource, nominal } from '@bss2/lola';
import type { RegisterFile } from '../register-file.js';

/** Where generated events go: the router, which feeds them into crossbar input `12 + generator`. */
export interface BackgroundEventTarget {
  routeBackgroundEvent(generator: number, label: number, cycle: number): void;
}

/**
 * **Choice** (hardware.md §3.7): the random source is a 32-bit Galois LFSR with the maximal-length
 * polynomial x³² + x²² + x² + x + 1 (XAPP052 taps 32, 22, 2, 1), one output bit (the LSB) per step. A seed
 * of 0 locks it at 0, as an LFSR does: every Poisson bin then fires and masked label bits read 0.
 */
export const LFSR_TAPS = 0x8020_0003;
/** The Poisson comparison draws 8 bits; 255 is redrawn, so a bin fires with probability exactly rate / 255. */
const RATE_SCALE = nominal.backgroundRateSteps;
const BYTE_BITS = 8;

/** One LFSR step: returns the new state; its output bit is the LSB of the old state. */
function lfsrStep(state: number): number {
  return (state & 1) !== 0 ? ((state >>> 1) ^ LFSR_TAPS) >>> 0 : state >>> 1;
}

/**
 * The 8 background spike generators (hardware.md §3.7), state in typed arrays. Regular: a spike every
 * `period` 125 MHz ticks (FPGA cycles), the first one full period after enabling. Poisson: at the end of
 * every bin of `period` ticks a spike with probability `rate / 255` (mean ISI `period · 255 / rate`), and the
 * label bits set in `mask` replaced by random bits. `seed` is loaded into the LFSR on the disabled → enabled
 * edge. **Choices:** period 0 is silent; a change to an enabled generator takes effect from its next spike
 * or bin on (the running period completes).
 */
export class BackgroundGenerators {
  private readonly words: Uint32Array;
  private readonly enabled: Uint8Array;
  private readonly poisson: Uint8Array;
  private readonly period: Float64Array;
  private readonly rate: Uint8Array;
  private readonly mask: Uint8Array;
  private readonly label: Uint16Array;
  private readonly lfsr: Uint32Array;
  /** Cycle of each generator's next spike (regular) or bin end (Poisson); +∞ while off. */
  readonly next_cycles: Float64Array;

  constructor(
    registers: RegisterFile,
    readonly count: number,
  ) {
    this.words = registers.containerWords('BackgroundSpikeSource');
    this.enabled = new Uint8Array(count);
    this.poisson = new Uint8Array(count);
    this.period = new Float64Array(count);
    this.rate = new Uint8Array(count);
    this.mask = new Uint8Array(count);
    this.label = new Uint16Array(count);
    this.lfsr = new Uint32Array(count);
    this.next_cycles = new Float64Array(count);
    this.reset();
  }

  /** Generator `i`'s register words changed at `cycle`; events before `cycle` must have been generated. */
  configure(i: number, cycle: number): void {
    const wordCount = BackgroundSpikeSource.wordCount;
    const config = BackgroundSpikeSource.decode(this.words.subarray(i * wordCount, (i + 1) * wordCount));
    const wasEnabled = this.enabled[i] === 1;
    this.enabled[i] = config.enable ? 1 : 0;
    this.poisson[i] = config.enableRandom ? 1 : 0;
    this.period[i] = config.period;
    this.rate[i] = config.rate;
    this.mask[i] = config.mask;
    this.label[i] = config.neuronLabel;
    if (!config.enable || config.period === 0) {
      this.next_cycles[i] = Number.POSITIVE_INFINITY;
      if (config.enable && !wasEnabled) this.lfsr[i] = config.seed;
      return;
    }
    if (!wasEnabled) this.lfsr[i] = config.seed;
    if (!wasEnabled || this.next_cycles[i] === Number.POSITIVE_INFINITY) this.next_cycles[i] = cycle + config.period;
  }

  /** Emits every event before `untilCycle` into `target`, in time order (ties: lower generator first). */
  generate(untilCycle: number, target: BackgroundEventTarget): void {
    const next = this.next_cycles;
    const n = this.count;
    for (;;) {
      let first = -1;
      let time = untilCycle;
      for (let i = 0; i < n; i++) {
        if (next[i]! < time) {
          time = next[i]!;
          first = i;
        }
      }
      if (first < 0) return;
      next[first] = time + this.period[first]!;
      if (this.poisson[first] === 0) {
        target.routeBackgroundEvent(first, this.label[first]!, time);
        continue;
      }
      let draw: number;
      do draw = this.randomByte(first);
      while (draw === RATE_SCALE);
      if (draw >= this.rate[first]!) continue;
      const mask = this.mask[first]!;
      const label = mask === 0 ? this.label[first]! : (this.label[first]! & ~mask) | (this.randomByte(first) & mask);
      target.routeBackgroundEvent(first, label, time);
    }
  }

  /** 8 LFSR output bits, first bit in the LSB. */
  private randomByte(i: number): number {
    let state = this.lfsr[i]!;
    let byte = 0;
    for (let b = 0; b < BYTE_BITS; b++) {
      byte |= (state & 1) << b;
      state = lfsrStep(state);
    }
    this.lfsr[i] = state;
    return byte;
  }

  /** Chip reset: every generator off (its words are back at their reset values). */
  reset(): void {
    this.enabled.fill(0);
    this.next_cycles.fill(Number.POSITIVE_INFINITY);
    this.lfsr.fill(0);
  }
}

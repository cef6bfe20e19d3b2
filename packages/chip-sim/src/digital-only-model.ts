import type { ChipModel, EventSink } from './chip-model.js';

/** One spike label the FPGA injected, and when. */
export interface InjectedSpike {
  readonly label: number;
  readonly cycle: number;
}

/**
 * The chip model of the digital core alone: it records every spike the FPGA injects and routes it nowhere —
 * there are no neurons, synapses or crossbar behind it yet, so no spike is looped back and no MADC sample is
 * taken. The model-owned read-only units (spike counters, CADC samples, crossbar counters, PPU status)
 * therefore keep their reset values from lola `defaults()`: every CADC sample reads code 0.
 */
export class DigitalOnlyModel implements ChipModel {
  readonly passive = true;
  /** It reports no spikes or samples: nothing to wait for. */
  readonly responseLatency_cycles = 0;
  private labels = new Uint16Array(64);
  private cycles = new Float64Array(64);
  private count = 0;

  advanceTo(_cycle: number): void {}

  onWrite(_address: number, _value: number): void {}

  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void {
    for (let i = 0; i < count; i++) {
      if (this.count === this.labels.length) this.grow();
      this.labels[this.count] = labels[i]!;
      this.cycles[this.count] = cycle;
      this.count++;
    }
  }

  drainEvents(_sink: EventSink): void {}

  onReset(_cycle: number): void {}

  /** Number of spikes injected so far. */
  get injectedSpikeCount(): number {
    return this.count;
  }

  /** The injected spikes in order of injection. */
  injectedSpikes(): InjectedSpike[] {
    return Array.from({ length: this.count }, (_, i) => ({ label: this.labels[i]!, cycle: this.cycles[i]! }));
  }

  private grow(): void {
    const labels = new Uint16Array(2 * this.labels.length);
    labels.set(this.labels);
    const cycles = new Float64Array(2 * this.cycles.length);
    cycles.set(this.cycles);
    this.labels = labels;
    this.cycles = cycles;
  }
}

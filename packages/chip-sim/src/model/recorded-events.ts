import type { EventSink } from '../chip-model.js';

/** A time-ordered queue of events of one kind in growable typed arrays (no object per event). */
class EventQueue {
  value = new Uint16Array(256);
  channel = new Uint8Array(256);
  /** `2 · cycle + halfCycle`: the 250 MHz tick of the event's timestamp. */
  tick = new Float64Array(256);
  length = 0;
  head = 0;

  /** Appends, keeping the queue sorted by tick (stable: equal ticks keep their order). */
  push(value: number, channel: number, tick: number): void {
    if (this.length === this.tick.length) this.grow();
    let i = this.length++;
    // Events arrive almost in order (a step's spikes after the external events of its cycles): short shifts.
    while (i > this.head && this.tick[i - 1]! > tick) {
      this.value[i] = this.value[i - 1]!;
      this.channel[i] = this.channel[i - 1]!;
      this.tick[i] = this.tick[i - 1]!;
      i--;
    }
    this.value[i] = value;
    this.channel[i] = channel;
    this.tick[i] = tick;
  }

  get pending(): boolean {
    return this.head < this.length;
  }

  clear(): void {
    this.length = 0;
    this.head = 0;
  }

  private grow(): void {
    const n = 2 * this.tick.length;
    const value = new Uint16Array(n);
    value.set(this.value);
    const channel = new Uint8Array(n);
    channel.set(this.channel);
    const tick = new Float64Array(n);
    tick.set(this.tick);
    this.value = value;
    this.channel = channel;
    this.tick = tick;
  }
}

/**
 * What the chip sends to the FPGA until the core drains it (hardware.md §5.3): spikes that reached an FPGA
 * link of the crossbar and MADC samples, each kept in time order and merged by time when drained.
 */
export class RecordedEvents {
  private readonly spikes = new EventQueue();
  private readonly samples = new EventQueue();

  /** A spike with its 16-bit label at `cycle` (+ `halfCycle`); the EventRouter's SpikeRecorder. */
  spike(label: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    this.spikes.push(label, 0, 2 * cycle + halfCycle);
  }

  /** A 10-bit MADC sample of `channel` at `cycle` (+ `halfCycle`). */
  madcSample(value: number, channel: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    this.samples.push(value, channel, 2 * cycle + halfCycle);
  }

  get empty(): boolean {
    return !this.spikes.pending && !this.samples.pending;
  }

  /** Reports everything recorded, merged in time order (a spike before a sample of the same tick), and forgets it. */
  drain(sink: EventSink): void {
    const s = this.spikes;
    const m = this.samples;
    while (s.head < s.length || m.head < m.length) {
      if (m.head >= m.length || (s.head < s.length && s.tick[s.head]! <= m.tick[m.head]!)) {
        const tick = s.tick[s.head]!;
        sink.spike(s.value[s.head]!, Math.floor(tick / 2), (tick % 2) as 0 | 1);
        s.head++;
      } else {
        const tick = m.tick[m.head]!;
        sink.madcSample(m.value[m.head]!, m.channel[m.head]!, Math.floor(tick / 2), (tick % 2) as 0 | 1);
        m.head++;
      }
    }
    s.clear();
    m.clear();
  }

  clear(): void {
    this.spikes.clear();
    this.samples.clear();
  }
}

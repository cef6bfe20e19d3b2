import { CrossbarInputDropCounter, CrossbarOutputEventCounter, SpikeCounterRead } from '@bss2/lola';
import type { RegisterFile } from '../register-file.js';

/** A lola counter field as (shift, largest value): the widths come from the containers, not from here. */
interface CounterField {
  readonly shift: number;
  readonly max: number;
}

function counterField(slices: readonly { bit: number; width: number }[]): CounterField {
  if (slices.length !== 1) throw new Error('counter fields are one bit slice');
  return { shift: slices[0]!.bit, max: 2 ** slices[0]!.width - 1 };
}
const DROP_COUNT = counterField(CrossbarInputDropCounter.fields.value.slices);
const EVENT_COUNT = counterField(CrossbarOutputEventCounter.fields.value.slices);
const SPIKE_COUNT = counterField(SpikeCounterRead.fields.count.slices);
const SPIKE_OVERFLOW = counterField(SpikeCounterRead.fields.overflow.slices);

/** The field's next value in `word`, wrapping to 0 after its largest value. */
function increment(word: number, field: CounterField): number {
  return ((((word >>> field.shift) + 1) & field.max) << field.shift) >>> 0;
}

/**
 * The model-owned read-only counters of the event path, kept directly in their register words so that a read
 * returns them (ChipModel contract): 16-bit drops per crossbar input, 24-bit events per crossbar output
 * (hardware.md §2.5; **Choice:** both wrap to 0), and per neuron the 8-bit spike count with its overflow bit
 * (§3.4: the count wraps past 255, the overflow bit is set then and stays until SpikeCounterReset). The chip
 * reset line clears the words (RegisterFile.resetChip).
 */
export class EventCounters {
  private readonly drops: Uint32Array;
  private readonly events: Uint32Array;
  private readonly spikes: Uint32Array;

  constructor(registers: RegisterFile) {
    this.drops = registers.containerWords('CrossbarInputDropCounter');
    this.events = registers.containerWords('CrossbarOutputEventCounter');
    this.spikes = registers.containerWords('SpikeCounterRead');
  }

  /** CrossbarInputOnDLS `input` dropped an event. */
  countDrop(input: number): void {
    this.drops[input] = increment(this.drops[input]!, DROP_COUNT);
  }

  /** CrossbarOutputOnDLS `output` forwarded an event. */
  countEvent(output: number): void {
    this.events[output] = increment(this.events[output]!, EVENT_COUNT);
  }

  /** The neuron at SpikeCounterReadOnDLS `index` fired. */
  countSpike(index: number): void {
    const word = this.spikes[index]!;
    const overflowBit = SPIKE_OVERFLOW.max << SPIKE_OVERFLOW.shift;
    const wraps = ((word >>> SPIKE_COUNT.shift) & SPIKE_COUNT.max) === SPIKE_COUNT.max;
    this.spikes[index] = ((wraps ? overflowBit : word & overflowBit) | increment(word, SPIKE_COUNT)) >>> 0;
  }

  /** SpikeCounterReset of SpikeCounterReadOnDLS `index`: count and overflow bit cleared. */
  resetSpikeCounter(index: number): void {
    this.spikes[index] = 0;
  }
}

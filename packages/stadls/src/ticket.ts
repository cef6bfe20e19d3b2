import type { Coordinate, CoordinateType } from '@bss2/halco';
import type { Container, ContainerType } from '@bss2/lola';
import { TicketNotReadyError } from './errors.js';

/** A container class as read() takes it: the ticket's `get()` returns its instances. */
export type ContainerClass = ContainerType & (abstract new (...args: never[]) => Container);

/** The coordinate type a container class lives at. */
export type CoordinateOf<T> = T extends { readonly coordinateType: CoordinateType<infer K> } ? K : Coordinate;

/**
 * The omnibus read words of one program, in instruction order, with the FPGA time each arrived at. A
 * program owns one queue; every run replaces its contents (hardware.md §5.4: "refills the response queues").
 */
export class ResponseQueue {
  words: Uint32Array = new Uint32Array(0);
  times: Float64Array = new Float64Array(0);
  /** Words delivered by the last run; 0 before the first. */
  filled = 0;
  /** Runs that delivered into this queue. */
  runs = 0;
}

/**
 * Where a ticket's words sit: `count` words from `offset` of the queue of the program it ended up in.
 * Merging builders shifts offsets; done() binds the queue.
 */
export class TicketSlot {
  queue: ResponseQueue | undefined = undefined;
  constructor(
    public offset: number,
    readonly count: number,
  ) {}
}

/**
 * The promise of a read (hardware.md §5.4): valid once its program ran and its queue holds all its words.
 * `get()` before that throws `TicketNotReadyError` ("data not available").
 */
export class ContainerTicket<C extends Container = Container> {
  /** @param slot internal: created by the builders. */
  constructor(
    readonly coordinate: Coordinate,
    readonly containerType: ContainerType<C>,
    private readonly slot: TicketSlot,
  ) {}

  /** Whether the words of the read have arrived. */
  get valid(): boolean {
    const queue = this.slot.queue;
    return queue !== undefined && queue.filled >= this.slot.offset + this.slot.count;
  }

  /** Number of response words this ticket expects. */
  get wordCount(): number {
    return this.slot.count;
  }

  private ready(): ResponseQueue {
    const queue = this.slot.queue;
    if (queue === undefined) throw new TicketNotReadyError(this.toString(), 'its builder was not turned into a program with done()');
    if (queue.runs === 0) throw new TicketNotReadyError(this.toString(), 'its program has not run');
    if (queue.filled < this.slot.offset + this.slot.count) {
      throw new TicketNotReadyError(this.toString(), `the last run delivered ${queue.filled} of the program's read words, this ticket needs words ${this.slot.offset}..${this.slot.offset + this.slot.count - 1}`);
    }
    return queue;
  }

  /** A copy of the words read, in the order of `containerType.addresses(coordinate)`. */
  get words(): Uint32Array {
    const start = this.slot.offset;
    return this.ready().words.slice(start, start + this.slot.count);
  }

  /** The FPGA time (cycles) at which the last word of this read arrived (hardware.md §5.4). */
  get fpgaTime(): number {
    return this.ready().times[this.slot.offset + this.slot.count - 1]!;
  }

  /** The container read, decoded from the words. */
  get(): C {
    return this.containerType.decode(this.words);
  }

  toString(): string {
    return `ContainerTicket(${this.containerType.typeName} at ${this.coordinate.toString()})`;
  }
}

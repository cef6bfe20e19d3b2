import { InstructionStream } from '@bss2/fisch';
import { type Coordinate, TimerOnDLS } from '@bss2/halco';
import { type Barrier, type Container, type ContainerType, type SpikePackToChip, TimerValue } from '@bss2/lola';
import { CopyWithReadsError, SelfMergeError } from './errors.js';
import {
  appendBlock,
  appendRead,
  appendWrite,
  planBlockUntil,
  planRead,
  planWrite,
  writeInstructions,
  type BlockPlan,
  type PollingOmnibusBlockCondition,
  type WritePlan,
} from './operations.js';
import { PlaybackProgram, programInternals } from './playback-program.js';
import { checkProgramSize } from './program-size.js';
import { ContainerTicket, TicketSlot, type ContainerClass, type CoordinateOf } from './ticket.js';

/** What the other builders of this package and the init generators need beyond the public API. */
export interface BuilderInternals {
  appendWrite(builder: PlaybackProgramBuilder, plan: WritePlan): void;
  appendBlock(builder: PlaybackProgramBuilder, plan: BlockPlan): void;
  /** Appends the reads of a ticket made elsewhere (absolute-time builder) and takes it over. */
  adoptRead(builder: PlaybackProgramBuilder, addresses: Uint32Array, ticket: ContainerTicket, slot: TicketSlot): void;
  /** Appends `count` instructions that ask for no response (chip reset, JTAG setup of the init sequence). */
  appendRaw(builder: PlaybackProgramBuilder, count: number, emit: (stream: InstructionStream) => void): void;
}

let internals: BuilderInternals;

/** Package-internal access; not exported from the package entry. */
export function builderInternals(): BuilderInternals {
  return internals;
}

/**
 * Builds a playback program (hardware.md §5.1): timed writes, reads and waits, appended in order straight
 * into a fisch InstructionStream. Every operation is validated when it is added — coordinate type, access,
 * word count, program size — and a refused operation leaves the builder unchanged. `done()` freezes the
 * instructions into a PlaybackProgram and leaves the builder empty for the next program.
 *
 * ```ts
 * const builder = new PlaybackProgramBuilder();
 * builder.write(new TimerOnDLS(0), new Timer());
 * builder.write(coord, config);
 * builder.blockUntil(new TimerOnDLS(0), TimerValue.fromMicroseconds(10));
 * const ticket = builder.read(coord, NeuronConfig);
 * await run(executor, builder.done());
 * ticket.get();
 * ```
 */
export class PlaybackProgramBuilder {
  #stream = new InstructionStream();
  #tickets: ContainerTicket[] = [];
  #slots: TicketSlot[] = [];
  /** Omnibus read words so far: each yields one response (hardware.md §5.3). */
  #readWords = 0;

  static {
    internals = {
      appendWrite: (builder, plan) => builder.#appendWrite(plan),
      appendBlock: (builder, plan) => {
        checkProgramSize(builder.#stream.length + 1);
        appendBlock(builder.#stream, plan);
      },
      adoptRead: (builder, addresses, ticket, slot) => builder.#appendRead(addresses, ticket, slot),
      appendRaw: (builder, count, emit) => {
        checkProgramSize(builder.#stream.length + count);
        emit(builder.#stream);
      },
    };
  }

  /**
   * Writes `container` at `coord` (hardware.md §5.1). Every lola container (leaf or composite) becomes omnibus
   * writes at its addresses; `Timer` (value 0) resets the executor timer, `SystimeSync` synchronises systime,
   * `SpikePack1/2/3ToChip` injects spike labels at the current program time. With a `reference` of the same
   * type, only the words that differ from it are written (differential write).
   */
  write(coord: Coordinate, container: Container | SpikePackToChip, reference?: Container | SpikePackToChip): this {
    this.#appendWrite(planWrite(coord, container, reference));
    return this;
  }

  /** Reads the container of `type` at `coord`; the ticket holds it once the program ran (hardware.md §5.4). */
  read<T extends ContainerClass>(coord: CoordinateOf<T>, type: T): ContainerTicket<InstanceType<T>>;
  /** The same for a container type known only through lola's registry (`containerTypes()`). */
  read<C extends Container>(coord: Coordinate, type: ContainerType<C>): ContainerTicket<C>;
  read(coord: Coordinate, type: ContainerType): ContainerTicket {
    const addresses = planRead(coord, type);
    const slot = new TicketSlot(0, addresses.length);
    const ticket = new ContainerTicket(coord, type, slot);
    this.#appendRead(addresses, ticket, slot);
    return ticket;
  }

  /**
   * Stalls the executor until a condition holds (hardware.md §5.1): `TimerValue` at TimerOnDLS (or
   * WaitUntilOnFPGA) until the timer reaches it, `Barrier` at BarrierOnFPGA until the selected traffic has
   * drained, `{ enableExpectsEquality }` at PollingOmnibusBlockOnFPGA until the configured omnibus word
   * matches (or differs).
   */
  blockUntil(coord: Coordinate, condition: TimerValue | Barrier | PollingOmnibusBlockCondition): this {
    const plan = planBlockUntil(coord, condition);
    checkProgramSize(this.#stream.length + 1);
    appendBlock(this.#stream, plan);
    return this;
  }

  /** Short for `blockUntil(TimerOnDLS, TimerValue)`: stall until the timer reaches `time` (FPGA cycles). */
  waitUntil(time: TimerValue | number): this {
    return this.blockUntil(new TimerOnDLS(0), time instanceof TimerValue ? time : new TimerValue(time));
  }

  /** Appends `other`'s instructions and takes over its tickets; `other` is left empty (hardware.md §5.1). */
  mergeBack(other: PlaybackProgramBuilder): this {
    if (other === this) throw new SelfMergeError('mergeBack');
    checkProgramSize(this.#stream.length + other.#stream.length);
    this.#stream.appendStream(other.#stream);
    for (const slot of other.#slots) slot.offset += this.#readWords;
    this.#slots.push(...other.#slots);
    this.#tickets.push(...other.#tickets);
    this.#readWords += other.#readWords;
    other.#reset();
    return this;
  }

  /** Puts `other`'s instructions before this builder's and takes over its tickets; `other` is left empty. */
  mergeFront(other: PlaybackProgramBuilder): this {
    if (other === this) throw new SelfMergeError('mergeFront');
    checkProgramSize(this.#stream.length + other.#stream.length);
    const stream = other.#stream.appendStream(this.#stream);
    for (const slot of this.#slots) slot.offset += other.#readWords;
    const slots = [...other.#slots, ...this.#slots];
    const tickets = [...other.#tickets, ...this.#tickets];
    const readWords = other.#readWords + this.#readWords;
    other.#reset();
    this.#stream = stream;
    this.#slots = slots;
    this.#tickets = tickets;
    this.#readWords = readWords;
    return this;
  }

  /** Appends a copy of `other`, which stays as it is; only write-only builders can be copied (hardware.md §5.1). */
  copyBack(other: PlaybackProgramBuilder): this {
    if (other === this) throw new SelfMergeError('copyBack');
    if (other.#readWords > 0) throw new CopyWithReadsError(other.#readWords);
    checkProgramSize(this.#stream.length + other.#stream.length);
    this.#stream.appendStream(other.#stream);
    return this;
  }

  /** Whether no instruction was added. */
  empty(): boolean {
    return this.#stream.length === 0;
  }

  /** Instructions to the FPGA so far. */
  sizeToFpga(): number {
    return this.#stream.length;
  }

  /** Responses the program will ask for: one OmnibusData per read word (hardware.md §5.1, §5.3). */
  sizeFromFpga(): number {
    return this.#readWords;
  }

  /** Whether the builder holds no reads (and so may be copied). */
  isWriteOnly(): boolean {
    return this.#readWords === 0;
  }

  /** Freezes the instructions into a program, binds the tickets to it and leaves this builder empty. */
  done(): PlaybackProgram {
    const program = new PlaybackProgram(this.#stream, this.#tickets, { omnibusData: this.#readWords, jtagData: 0, loopback: 0 });
    const queue = programInternals(program).queue;
    for (const slot of this.#slots) slot.queue = queue;
    this.#reset();
    return program;
  }

  toString(): string {
    return `PlaybackProgramBuilder(${this.#stream.length} instructions, ${this.#tickets.length} tickets)`;
  }

  #appendWrite(plan: WritePlan): void {
    checkProgramSize(this.#stream.length + writeInstructions(plan));
    appendWrite(this.#stream, plan);
  }

  #appendRead(addresses: Uint32Array, ticket: ContainerTicket, slot: TicketSlot): void {
    checkProgramSize(this.#stream.length + addresses.length);
    appendRead(this.#stream, addresses);
    slot.offset = this.#readWords;
    this.#readWords += addresses.length;
    this.#slots.push(slot);
    this.#tickets.push(ticket);
  }

  #reset(): void {
    this.#stream = new InstructionStream();
    this.#tickets = [];
    this.#slots = [];
    this.#readWords = 0;
  }
}

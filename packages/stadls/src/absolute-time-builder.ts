import type { Coordinate } from '@bss2/halco';
import { type Container, type ContainerType, type SpikePackToChip, TimerValue, nominal } from '@bss2/lola';
import { CopyWithReadsError, SelfMergeError, TimeRangeError } from './errors.js';
import { planRead, planWrite, writeInstructions, type WritePlan } from './operations.js';
import { PlaybackProgramBuilder, builderInternals } from './playback-program-builder.js';
import { ContainerTicket, TicketSlot, type ContainerClass, type CoordinateOf } from './ticket.js';

/** A command later than its time by more than this is reported (hardware.md §5.1: "> 10 µs lateness warns"). */
export const LATENESS_WARNING_CYCLES = 10 * nominal.fpgaClockCyclesPerUs;

/** A command that, by the one-cycle-per-instruction estimate, runs later than its time. */
export interface LatenessWarning {
  /** The time the command was given, FPGA cycles after the timer reset. */
  readonly time_cycles: number;
  /** Estimated start of the command. */
  readonly estimated_cycles: number;
  readonly lateness_us: number;
  readonly message: string;
}

export interface AbsoluteTimeBuilderOptions {
  /** Receives lateness warnings from done(); by default they go to `console.warn` where there is one. */
  readonly onLateness?: (warning: LatenessWarning) => void;
}

type Command =
  | { readonly time: number; readonly kind: 'write'; readonly plan: WritePlan }
  | {
      readonly time: number;
      readonly kind: 'read';
      readonly addresses: Uint32Array;
      readonly ticket: ContainerTicket;
      readonly slot: TicketSlot;
    };

function defaultLatenessHandler(warning: LatenessWarning): void {
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(warning.message);
}

function checkTime(what: string, time: unknown): number {
  if (typeof time !== 'number' || !Number.isInteger(time) || time < 0 || time > TimerValue.max) {
    throw new TimeRangeError(what, time, `an integer number of FPGA cycles in 0..${TimerValue.max} (32-bit timer, hardware.md §1.1)`);
  }
  return time;
}

/**
 * Commands at absolute times (FPGA cycles after a timer reset) in any order (hardware.md §5.1). `done()` sorts
 * them stably by time — commands given for the same time keep their order — and emits a PlaybackProgramBuilder:
 * a timer reset, then before each new time `t > 0` a `blockUntil(timer, t − 1)`, so the first command of that
 * time issues at `t` (the wait itself costs the one cycle). Each instruction costs one cycle; a command whose
 * estimated start is more than 10 µs past its time is reported to `onLateness`.
 */
export class AbsoluteTimePlaybackProgramBuilder {
  #commands: Command[] = [];
  readonly #onLateness: (warning: LatenessWarning) => void;

  constructor(options: AbsoluteTimeBuilderOptions = {}) {
    this.#onLateness = options.onLateness ?? defaultLatenessHandler;
  }

  /** Writes `container` at `coord` at `time` (FPGA cycles); checked and encoded now. */
  write(time: number | TimerValue, coord: Coordinate, container: Container | SpikePackToChip): this {
    const t = checkTime('write time', time instanceof TimerValue ? time.value : time);
    this.#commands.push({ time: t, kind: 'write', plan: planWrite(coord, container) });
    return this;
  }

  /** Reads the container of `type` at `coord` at `time`; the ticket is bound by the final program. */
  read<T extends ContainerClass>(time: number | TimerValue, coord: CoordinateOf<T>, type: T): ContainerTicket<InstanceType<T>>;
  /** The same for a container type known only through lola's registry (`containerTypes()`). */
  read<C extends Container>(time: number | TimerValue, coord: Coordinate, type: ContainerType<C>): ContainerTicket<C>;
  read(time: number | TimerValue, coord: Coordinate, type: ContainerType): ContainerTicket {
    const t = checkTime('read time', time instanceof TimerValue ? time.value : time);
    const addresses = planRead(coord, type);
    const slot = new TicketSlot(0, addresses.length);
    const ticket = new ContainerTicket(coord, type, slot);
    this.#commands.push({ time: t, kind: 'read', addresses, ticket, slot });
    return ticket;
  }

  /** `+= offset`: moves every command by `offset` cycles (may be negative; results must stay in range). */
  shift(offset_cycles: number): this {
    if (!Number.isInteger(offset_cycles)) throw new TimeRangeError('shift offset', offset_cycles, 'an integer number of FPGA cycles');
    const moved = this.#commands.map((c) => ({ ...c, time: checkTime('shifted time', c.time + offset_cycles) }));
    this.#commands = moved;
    return this;
  }

  /** `*= factor`: scales every time, rounding to the nearest cycle (stretching or compressing a schedule). */
  scale(factor: number): this {
    if (!(Number.isFinite(factor) && factor >= 0)) throw new TimeRangeError('scale factor', factor, 'a finite number ≥ 0');
    const scaled = this.#commands.map((c) => ({ ...c, time: checkTime('scaled time', Math.round(c.time * factor)) }));
    this.#commands = scaled;
    return this;
  }

  /** Moves `other`'s commands into this builder (after this builder's commands of the same time). */
  merge(other: AbsoluteTimePlaybackProgramBuilder): this {
    if (other === this) throw new SelfMergeError('merge');
    this.#commands.push(...other.#commands);
    other.#commands = [];
    return this;
  }

  /** Adds copies of `other`'s commands; only write-only builders can be copied (their reads' tickets could not). */
  copy(other: AbsoluteTimePlaybackProgramBuilder): this {
    if (other === this) throw new SelfMergeError('copy');
    const reads = other.#commands.reduce((n, c) => n + (c.kind === 'read' ? c.addresses.length : 0), 0);
    if (reads > 0) throw new CopyWithReadsError(reads);
    this.#commands.push(...other.#commands);
    return this;
  }

  empty(): boolean {
    return this.#commands.length === 0;
  }

  isWriteOnly(): boolean {
    return this.#commands.every((c) => c.kind === 'write');
  }

  /** Number of commands (writes and reads). */
  get size(): number {
    return this.#commands.length;
  }

  /** Sorts the commands and emits them into a PlaybackProgramBuilder; this builder is left empty. */
  done(): PlaybackProgramBuilder {
    const commands = this.#commands.slice().sort((a, b) => a.time - b.time);
    const builder = new PlaybackProgramBuilder();
    const internals = builderInternals();
    internals.appendWrite(builder, { kind: 'timerReset' });
    // Estimated timer value when the next instruction issues (hardware.md §5.1: one cycle per instruction).
    let estimate = 0;
    let currentTime = -1;
    for (const command of commands) {
      if (command.time !== currentTime) {
        currentTime = command.time;
        if (currentTime > 0) {
          internals.appendBlock(builder, { kind: 'wait', cycles: currentTime - 1 });
          estimate = Math.max(estimate, currentTime - 1) + 1;
        }
        const late = estimate - currentTime;
        if (late > LATENESS_WARNING_CYCLES) {
          const lateness_us = late / nominal.fpgaClockCyclesPerUs;
          this.#onLateness({
            time_cycles: currentTime,
            estimated_cycles: estimate,
            lateness_us,
            message: `AbsoluteTimePlaybackProgramBuilder: commands at ${currentTime} cycles start about ${lateness_us} µs late ` +
              `(estimated ${estimate} cycles at one cycle per instruction); spread them out (hardware.md §5.1)`,
          });
        }
      }
      if (command.kind === 'write') {
        internals.appendWrite(builder, command.plan);
        estimate += writeInstructions(command.plan);
      } else {
        internals.adoptRead(builder, command.addresses, command.ticket, command.slot);
        estimate += command.addresses.length;
      }
    }
    this.#commands = [];
    return builder;
  }

  toString(): string {
    return `AbsoluteTimePlaybackProgramBuilder(${this.#commands.length} commands)`;
  }
}

import {
  InstructionStream,
  Loopback,
  type Instruction,
  type InstructionVisitor,
  type MADCSampleFromChip,
  type SpikeFromChip,
  type TimedResponse,
} from '@bss2/fisch';
import { ProgramFormatError } from './errors.js';
import { checkProgramSize } from './program-size.js';
import { ResponseQueue, type ContainerTicket } from './ticket.js';

/** Responses a program's instructions ask for (hardware.md §5.2, §5.3), without the halt echo. */
export interface ExpectedResponses {
  /** One OmnibusData per omnibus read. */
  readonly omnibusData: number;
  /** One JtagData per jtag Data instruction with keep_response. */
  readonly jtagData: number;
  /** One echo per Loopback(tick). */
  readonly loopback: number;
}

/** Wall-clock durations of one run, in milliseconds (hardware.md §5.4). */
export interface RunTiming {
  /** Program to bytes, halt appended. */
  readonly encode_ms: number;
  /** The executor's execute(): transfer, execution and the responses' way back. */
  readonly execute_ms: number;
  /** Responses decoded, time-annotated and sorted into the tickets' queue. */
  readonly decode_ms: number;
  readonly total_ms: number;
}

export type TimeoutNotification = Extract<TimedResponse, { kind: 'TimeoutNotification' }>;
export type HighspeedLinkNotification = Extract<TimedResponse, { kind: 'HighspeedLinkNotification' }>;
export type Notification = TimeoutNotification | HighspeedLinkNotification;

/** Everything a run delivers besides the read words (hardware.md §5.4). */
export interface RunResults {
  readonly spikes: readonly SpikeFromChip[];
  readonly madcSamples: readonly MADCSampleFromChip[];
  /** Timeout and link notifications in arrival order. */
  readonly notifications: readonly Notification[];
  readonly jtagData: readonly Extract<TimedResponse, { kind: 'JtagData' }>[];
  /** Received spike packs by size `[1, 2, 3]` and MADC sample packs by size (the §5.4 histograms). */
  readonly spikePackCounts: readonly [number, number, number];
  readonly madcSamplePackCounts: readonly [number, number, number];
  readonly timing: RunTiming;
}

const EMPTY_RESULTS: RunResults = Object.freeze({
  spikes: [],
  madcSamples: [],
  notifications: [],
  jtagData: [],
  spikePackCounts: [0, 0, 0] as const,
  madcSamplePackCounts: [0, 0, 0] as const,
  timing: { encode_ms: 0, execute_ms: 0, decode_ms: 0, total_ms: 0 },
});

/** What run() needs of a program beyond its public face. */
export interface ProgramInternals {
  readonly stream: InstructionStream;
  readonly queue: ResponseQueue;
  deliver(results: RunResults): void;
}

let internalsOf: (program: PlaybackProgram) => ProgramInternals;

/** Package-internal access for run(); not exported from the package entry. */
export function programInternals(program: PlaybackProgram): ProgramInternals {
  return internalsOf(program);
}

/**
 * A frozen playback program (hardware.md §5): its instruction stream, the tickets of its reads, and after a
 * run the results. Made by `PlaybackProgramBuilder.done()` or decoded from bytes; its instructions never
 * change. Running it again replaces the results and refills the tickets.
 */
export class PlaybackProgram {
  readonly #stream: InstructionStream;
  readonly #queue = new ResponseQueue();
  readonly #tickets: readonly ContainerTicket[];
  readonly #expected: ExpectedResponses;
  #results: RunResults = EMPTY_RESULTS;
  #runs = 0;

  static {
    internalsOf = (program) => ({
      stream: program.#stream,
      queue: program.#queue,
      deliver: (results) => {
        program.#results = results;
        program.#runs++;
      },
    });
  }

  /** Internal: programs come from `PlaybackProgramBuilder.done()` or `PlaybackProgram.decode()`. */
  constructor(stream: InstructionStream, tickets: readonly ContainerTicket[], expected: ExpectedResponses) {
    checkProgramSize(stream.length);
    this.#stream = stream;
    this.#tickets = Object.freeze([...tickets]);
    this.#expected = Object.freeze({ ...expected });
  }

  /**
   * A program from the bytes `encode()` produced (64-bit big-endian words, hardware.md §6.1): instructions
   * only, no tickets. A trailing `Loopback(halt)` — the stream as run() sends it — is dropped; a halt anywhere
   * else is refused, since the executor would stop there. Throws fisch's `DecodeError` for malformed words.
   */
  static decode(bytes: Uint8Array): PlaybackProgram {
    let body = bytes;
    if (bytes.length >= 8 && bytes.length % 8 === 0) {
      const last = InstructionStream.fromBytes(bytes.subarray(bytes.length - 8)).at(0);
      if (last.kind === 'Loopback' && last.value === Loopback.halt) body = bytes.subarray(0, bytes.length - 8);
    }
    const stream = InstructionStream.fromBytes(body);
    const counter = new ResponseCounter();
    stream.visit(counter);
    return new PlaybackProgram(stream, [], counter.expected);
  }

  /** The instruction stream to the FPGA as bytes, without the halt run() appends. */
  encode(): Uint8Array {
    return this.#stream.toBytes();
  }

  /** Number of instructions (= `sizeToFpga()` of the builder it came from). */
  get instructionCount(): number {
    return this.#stream.length;
  }

  /** Responses the instructions ask for; their sum is the builder's `sizeFromFpga()`. */
  get expectedResponses(): ExpectedResponses {
    return this.#expected;
  }

  /** The tickets of the reads, in program order. */
  get tickets(): readonly ContainerTicket[] {
    return this.#tickets;
  }

  /** Instruction `index` in object form. */
  instructionAt(index: number): Instruction {
    return this.#stream.at(index);
  }

  /** All instructions in object form (tooling and tests; a stream of millions is better visited). */
  toInstructions(): Instruction[] {
    return this.#stream.toArray();
  }

  /** Visits every instruction without allocation (fisch's InstructionVisitor). */
  visit(visitor: InstructionVisitor): void {
    this.#stream.visit(visitor);
  }

  /** Completed runs of this program. */
  get runs(): number {
    return this.#runs;
  }

  /** The omnibus read words of the last run in program order (all tickets' words, concatenated). */
  get readWords(): Uint32Array {
    return this.#queue.words.slice(0, this.#queue.filled);
  }

  /** Spikes recorded during the last run (hardware.md §5.3 SpikeFromChip), in arrival order. */
  get spikes(): readonly SpikeFromChip[] {
    return this.#results.spikes;
  }

  get madcSamples(): readonly MADCSampleFromChip[] {
    return this.#results.madcSamples;
  }

  /** Timeout and highspeed-link notifications of the last run. */
  get notifications(): readonly Notification[] {
    return this.#results.notifications;
  }

  get highspeedLinkNotifications(): readonly HighspeedLinkNotification[] {
    return this.#results.notifications.filter((n): n is HighspeedLinkNotification => n.kind === 'HighspeedLinkNotification');
  }

  get timeoutNotifications(): readonly TimeoutNotification[] {
    return this.#results.notifications.filter((n): n is TimeoutNotification => n.kind === 'TimeoutNotification');
  }

  get jtagData(): RunResults['jtagData'] {
    return this.#results.jtagData;
  }

  get spikePackCounts(): readonly [number, number, number] {
    return this.#results.spikePackCounts;
  }

  get madcSamplePackCounts(): readonly [number, number, number] {
    return this.#results.madcSamplePackCounts;
  }

  /** Durations of the last run; `undefined` before the first. */
  get timing(): RunTiming | undefined {
    return this.#runs === 0 ? undefined : this.#results.timing;
  }

  toString(): string {
    const e = this.#expected;
    return `PlaybackProgram(${this.instructionCount} instructions, ${this.#tickets.length} tickets, ${e.omnibusData + e.jtagData + e.loopback} responses expected)`;
  }
}

/** Counts the responses a decoded stream asks for and refuses a halt inside it. */
class ResponseCounter implements InstructionVisitor {
  omnibusReads = 0;
  jtagReads = 0;
  loopbackTicks = 0;
  private index = 0;

  get expected(): ExpectedResponses {
    return { omnibusData: this.omnibusReads, jtagData: this.jtagReads, loopback: this.loopbackTicks };
  }

  jtagInit(): void { this.index++; }
  jtagScaler(): void { this.index++; }
  jtagIns(): void { this.index++; }
  jtagData(_data: number, _numBits: number, keepResponse: boolean): void {
    if (keepResponse) this.jtagReads++;
    this.index++;
  }
  timingSetup(): void { this.index++; }
  waitUntil(): void { this.index++; }
  systimeInit(): void { this.index++; }
  barrier(): void { this.index++; }
  pollingOmnibusBlock(): void { this.index++; }
  reset(): void { this.index++; }
  omnibusData(): void { this.index++; }
  spikePack(): void { this.index++; }

  loopback(value: number): void {
    if (value === Loopback.halt) {
      throw new ProgramFormatError(this.index, 'Loopback(halt) inside a program: the executor would stop there; run() appends the halt itself');
    }
    this.loopbackTicks++;
    this.index++;
  }

  omnibusAddress(_address: number, _byteEnables: number, isRead: boolean): void {
    if (isRead) this.omnibusReads++;
    this.index++;
  }
}

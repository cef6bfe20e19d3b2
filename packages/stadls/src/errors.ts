import type { TimedResponse } from '@bss2/fisch';

/** Root of every error thrown by `@bss2/stadls`. */
export class StadlsError extends Error {
  override name = 'StadlsError';
}

/** A write or read names a coordinate of another type than the container lives at (hardware.md §3.1). */
export class CoordinateTypeMismatchError extends StadlsError {
  override name = 'CoordinateTypeMismatchError';
  constructor(
    readonly containerType: string,
    readonly expectedCoordinateType: string,
    readonly received: string,
  ) {
    super(`${containerType} lives at ${expectedCoordinateType} coordinates, received ${received}`);
  }
}

/** Writing a read-only container or reading a write-only one (hardware.md §3.1). */
export class AccessError extends StadlsError {
  override name = 'AccessError';
  constructor(
    readonly containerType: string,
    readonly access: 'write' | 'read',
  ) {
    super(
      access === 'write'
        ? `${containerType} is read-only: it cannot be written (hardware.md §3.1)`
        : `${containerType} is write-only: it cannot be read (hardware.md §3.1)`,
    );
  }
}

/** A container handed to write() encodes to another number of words than its coordinate has addresses. */
export class WordCountMismatchError extends StadlsError {
  override name = 'WordCountMismatchError';
  constructor(
    readonly containerType: string,
    readonly coordinate: string,
    readonly words: number,
    readonly addresses: number,
  ) {
    super(`${containerType} encodes to ${words} words but ${coordinate} has ${addresses} addresses; use a container of the coordinate's size`);
  }
}

/** A differential write whose reference is another container type than the container written. */
export class ReferenceMismatchError extends StadlsError {
  override name = 'ReferenceMismatchError';
  constructor(
    readonly containerType: string,
    readonly referenceType: string,
  ) {
    super(`the reference of a differential write must be a ${containerType} as well, received a ${referenceType}`);
  }
}

/** Something that is neither a container, a spike pack nor a block-until condition the builder knows. */
export class UnsupportedOperationError extends StadlsError {
  override name = 'UnsupportedOperationError';
  constructor(
    readonly operation: string,
    readonly received: string,
    readonly allowed: string,
  ) {
    super(`${operation}: cannot handle ${received}; allowed: ${allowed}`);
  }
}

/**
 * A program would exceed the FPGA playback memory (hardware.md §1, §5.4). `limit` leaves room for the
 * `Loopback(halt)` that run() appends: a program holds at most MAX_PROGRAM_INSTRUCTIONS − 1 instructions.
 */
export class ProgramTooLargeError extends StadlsError {
  override name = 'ProgramTooLargeError';
  constructor(
    readonly instructions: number,
    readonly limit: number,
  ) {
    super(
      `a program holds at most ${limit} instructions (the FPGA playback memory holds ${limit + 1}, run() appends ` +
        `the halt; hardware.md §5.4); this one would hold ${instructions}: split it into several programs`,
    );
  }
}

/** copyBack / copy of a builder holding reads: its tickets cannot be in two places (hardware.md §5.1). */
export class CopyWithReadsError extends StadlsError {
  override name = 'CopyWithReadsError';
  constructor(readonly reads: number) {
    super(`only write-only builders can be copied; this one holds ${reads} read words: use mergeBack to move it instead`);
  }
}

/** Merging a builder into itself. */
export class SelfMergeError extends StadlsError {
  override name = 'SelfMergeError';
  constructor(operation: string) {
    super(`${operation}: a builder cannot be merged into or copied onto itself`);
  }
}

/** A ticket was asked for data its program has not delivered (hardware.md §5.4: "data not available"). */
export class TicketNotReadyError extends StadlsError {
  override name = 'TicketNotReadyError';
  constructor(
    readonly ticket: string,
    readonly reason: string,
  ) {
    super(`data not available for ${ticket}: ${reason}`);
  }
}

/** A time of the absolute-time builder outside the 32-bit timer range, or a bad shift / scale factor. */
export class TimeRangeError extends StadlsError {
  override name = 'TimeRangeError';
  constructor(
    readonly what: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${what} = ${String(value)} is invalid: expected ${rule}`);
  }
}

/** An instruction stream handed to PlaybackProgram.decode that is no program (e.g. a halt inside it). */
export class ProgramFormatError extends StadlsError {
  override name = 'ProgramFormatError';
  constructor(
    readonly instruction: number,
    readonly reason: string,
  ) {
    super(`instruction ${instruction}: ${reason}`);
  }
}

/** Root of the checks run() makes on the responses (hardware.md §5.4). */
export class RunError extends StadlsError {
  override name = 'RunError';
}

/** The executor reported that an instruction stalled past the instruction timeout (hardware.md §3.10, §5.3). */
export class RunTimeoutError extends RunError {
  override name = 'RunTimeoutError';
  constructor(readonly notification: Extract<TimedResponse, { kind: 'TimeoutNotification' }>) {
    super(
      `the executor timed out at FPGA time ${notification.fpgaTime} (value ${notification.value}, ` +
        `${notification.traceStallCount} trace stalls, ${notification.omnibusReadsInFlight} omnibus reads in flight); ` +
        'raise InstructionTimeoutConfig or shorten the blocking condition',
    );
  }
}

/** The response stream did not end with the echo of the halt run() appended. */
export class MissingHaltError extends RunError {
  override name = 'MissingHaltError';
  constructor(readonly responseBytes: number) {
    super(`the ${responseBytes} response bytes hold no Loopback(halt) echo: the program did not run to its end`);
  }
}

/** The number of responses of one kind differs from what the program's instructions ask for. */
export class ResponseCountError extends RunError {
  override name = 'ResponseCountError';
  constructor(
    readonly kind: 'OmnibusData' | 'JtagData' | 'Loopback',
    readonly expected: number,
    readonly received: number,
  ) {
    super(`expected ${expected} ${kind} responses (sizeFromFpga), received ${received}`);
  }
}

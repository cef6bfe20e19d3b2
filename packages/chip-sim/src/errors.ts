import type { DecodeError } from '@bss2/fisch';

/** Root of every error thrown by `@bss2/chip-sim`. */
export class ChipSimError extends Error {
  override name = 'ChipSimError';
}

/**
 * An instruction stream was rejected before anything ran: it is not a sequence of valid fisch instruction
 * words (hardware.md §5.2, §6.1). The chip state is exactly as before the call (architecture.md, "Errors").
 * `offset` is the byte offset of the offending word; `cause` is fisch's `DecodeError`.
 */
export class InstructionStreamRejectedError extends ChipSimError {
  override name = 'InstructionStreamRejectedError';
  readonly offset: number;

  constructor(override readonly cause: DecodeError) {
    super(`instruction stream rejected, nothing was executed: ${cause.message}`);
    this.offset = cause.offset;
  }
}

/** A value handed to the simulator's API (options, direct register access) is of the wrong type or range. */
export class ChipSimArgumentError extends ChipSimError {
  override name = 'ChipSimArgumentError';
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${argument} = ${describe(value)} is invalid: expected ${rule}`);
  }
}

/** A chip model handed the core an event it cannot report (hardware.md §5.3 field ranges). */
export class ChipModelEventError extends ChipSimError {
  override name = 'ChipModelEventError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`chip model event ${field} = ${describe(value)} is invalid: expected ${rule}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

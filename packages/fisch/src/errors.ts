/** Root of every error thrown by `@bss2/fisch`. */
export class FischError extends Error {
  override name = 'FischError';
}

/** Something could not be turned into words or bytes: a field value, an unknown kind, a program too long. */
export class EncodeError extends FischError {
  override name = 'EncodeError';
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

/**
 * A field of an instruction or response was given a value outside its range (or of the wrong type).
 * `field` is `Kind.field`, e.g. `JtagData.numBits`; the message says what is allowed.
 */
export class FieldRangeError extends EncodeError {
  override name = 'FieldRangeError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly min: number,
    readonly max: number,
    /** Extra context, e.g. the rule a boolean field follows or the field the limit depends on. */
    readonly note?: string,
  ) {
    super(`${field} = ${describe(value)} is out of range ${min}..${max}` + (note === undefined ? '' : ` (${note})`));
  }
}

/** An object handed to an encoder names no known instruction or response kind. */
export class UnknownKindError extends EncodeError {
  override name = 'UnknownKindError';
  constructor(
    readonly family: 'instruction' | 'response',
    readonly kind: unknown,
    readonly known: readonly string[],
  ) {
    super(`unknown ${family} kind ${describe(kind)}; known kinds: ${known.join(', ')}`);
  }
}

/** A program would exceed the FPGA playback memory (hardware.md §1, §5.4). */
export class ProgramSizeError extends EncodeError {
  override name = 'ProgramSizeError';
  constructor(
    readonly instructions: number,
    readonly limit: number,
  ) {
    super(
      `a program holds at most ${limit} instructions (FPGA playback memory, hardware.md §5.4), ` +
        `this one would hold ${instructions}; split it into several programs`,
    );
  }
}

/**
 * A byte stream is not a valid instruction or response stream. `offset` is the absolute byte offset of the
 * offending word or message from the start of the stream (across all chunks of a streaming decoder).
 */
export class DecodeError extends FischError {
  override name = 'DecodeError';
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly received: string,
  ) {
    super(`at byte ${offset}: expected ${expected}, received ${received}`);
  }
}

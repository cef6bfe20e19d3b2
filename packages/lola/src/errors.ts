/** Root of every error thrown by `@bss2/lola`. */
export class LolaError extends Error {
  override name = 'LolaError';
}

/** A field was given a value outside its allowed range or of the wrong kind. */
export class FieldRangeError extends LolaError {
  override name = 'FieldRangeError';
  constructor(
    /** `Container.field`, e.g. `NeuronConfig.membraneCapacitorSize`. */
    readonly field: string,
    readonly value: unknown,
    /** What the field accepts, e.g. `an integer in 0..63`. */
    readonly rule: string,
  ) {
    super(`${field} = ${describeValue(value)} is invalid: expected ${rule}`);
  }
}

/** A container was built with a field name it does not have (usually a typo). */
export class UnknownFieldError extends LolaError {
  override name = 'UnknownFieldError';
  constructor(
    readonly container: string,
    readonly field: string,
    readonly known: readonly string[],
  ) {
    super(`${container} has no field '${field}'; its fields are ${known.join(', ')}`);
  }
}

/** Words could not be decoded into a container (wrong count, a bit pattern no field value has). */
export class ContainerDecodeError extends LolaError {
  override name = 'ContainerDecodeError';
  constructor(
    readonly container: string,
    readonly reason: string,
    /** Index of the offending word, where one word is at fault. */
    readonly word?: number,
  ) {
    super(`cannot decode ${container}${word === undefined ? '' : ` (word ${word})`}: ${reason}`);
  }
}

/** JSON or msgpack data does not describe a known container. */
export class ContainerSerializationError extends LolaError {
  override name = 'ContainerSerializationError';
  constructor(readonly reason: string) {
    super(`cannot deserialise container: ${reason}`);
  }
}

/** A Morphology or LogicalNeuron broke one of the rules of hardware.md §4. */
export class MorphologyError extends LolaError {
  override name = 'MorphologyError';
  constructor(
    /** Which rule was broken, e.g. `not contiguous column-major`. */
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

/** Root of every error thrown by `@bss2/halco`. */
export class HalcoError extends Error {
  override name = 'HalcoError';
}

/**
 * A coordinate was constructed from a value outside its range.
 * Extends `RangeError` so generic handlers still recognise it.
 */
export class CoordinateRangeError extends RangeError {
  override name = 'CoordinateRangeError';
  constructor(
    readonly typeName: string,
    readonly value: unknown,
    readonly min: number,
    readonly max: number,
    readonly source?: string,
  ) {
    super(
      `${typeName}(${String(value)}) is out of range ${min}..${max}` +
        (source === undefined ? '' : ` (from ${source})`),
    );
  }
}

/** A coordinate was built from parts of the wrong type (e.g. a row where a column belongs). */
export class CoordinateTypeError extends HalcoError {
  override name = 'CoordinateTypeError';
  constructor(
    readonly typeName: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super(`${typeName}: expected ${expected}, received ${received}`);
  }
}

/** A string did not name a coordinate in the `Type(enum)` form. */
export class CoordinateParseError extends HalcoError {
  override name = 'CoordinateParseError';
  constructor(
    readonly text: string,
    readonly expected: string,
  ) {
    super(`cannot parse ${JSON.stringify(text)}: expected ${expected}`);
  }
}

/** Where an error happened: the population and/or projection (by label), the parameter, the offending value. */
export interface PyNNErrorDetails {
  readonly population?: string | undefined;
  readonly projection?: string | undefined;
  readonly parameter?: string | undefined;
  readonly value?: unknown;
  /** The limit the value breaks, where one number says it (population sizes, input spikes). */
  readonly limit?: number | undefined;
}

/**
 * Root of every error thrown by `@bss2/pynn` (style.md: one hierarchy per package). Routing and calibration
 * errors pass through unchanged: their own fields name the pynn labels (populations and projections are routed
 * under their labels).
 */
export class PyNNError extends Error {
  override name = 'PyNNError';
  readonly population: string | undefined;
  readonly projection: string | undefined;
  readonly parameter: string | undefined;
  readonly value: unknown;
  readonly limit: number | undefined;

  constructor(message: string, details: PyNNErrorDetails = {}) {
    super(message);
    this.population = details.population;
    this.projection = details.projection;
    this.parameter = details.parameter;
    this.value = details.value;
    this.limit = details.limit;
  }
}

/** `setup()` got an unknown key or a bad value (the reference raises KeyError for unknown extras). */
export class SetupError extends PyNNError {
  override name = 'SetupError';
}

/** A pynn function was called before `setup()` or after `end()`. */
export class NotSetUpError extends PyNNError {
  override name = 'NotSetUpError';
  constructor(what: string) {
    super(`${what} needs a simulator: call pynn.setup() first (after pynn.end() the state is gone)`);
  }
}

/** A cell-type parameter is unknown, of the wrong shape, or outside what the chip can realise. */
export class ParameterError extends PyNNError {
  override name = 'ParameterError';
}

/** A projection, connector or synapse type is invalid (PyNN's ConnectionError). */
export class ConnectionError extends PyNNError {
  override name = 'ConnectionError';
}

/** A recording request the chip cannot serve (unknown variable, MADC limits). */
export class RecordingError extends PyNNError {
  override name = 'RecordingError';
}

/** `run()` / `reset()` used wrongly: bad duration, time beyond the 32-bit timer, structure changed mid-segment. */
export class RunError extends PyNNError {
  override name = 'RunError';
}

/** A PyNN feature this backend does not provide (PyNN's NotImplementedError). */
export class NotSupportedError extends PyNNError {
  override name = 'NotSupportedError';
}

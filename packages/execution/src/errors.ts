/** Where an execution error happened: the population (by name), the neuron index in it, the batch entry, the value. */
export interface ExecutionErrorDetails {
  readonly population?: string | undefined;
  readonly index?: number | undefined;
  readonly entry?: number | undefined;
  readonly parameter?: string | undefined;
  readonly value?: unknown;
  /** The limit the value breaks, where one number says it (limits.ts). */
  readonly limit?: number | undefined;
}

/**
 * Root of every error thrown by `@bss2/execution` (style.md: one hierarchy per package). Routing, calibration
 * and stadls errors pass through unchanged: they name the graph's populations and projections themselves.
 */
export class ExecutionError extends Error {
  override name = 'ExecutionError';
  readonly population: string | undefined;
  readonly index: number | undefined;
  readonly entry: number | undefined;
  readonly parameter: string | undefined;
  readonly value: unknown;
  readonly limit: number | undefined;

  constructor(message: string, details: ExecutionErrorDetails = {}) {
    super(message);
    this.population = details.population;
    this.index = details.index;
    this.entry = details.entry;
    this.parameter = details.parameter;
    this.value = details.value;
    this.limit = details.limit;
  }
}

/** The network graph is malformed: unknown population, wrong neuron count, a spec of the wrong kind. */
export class GraphError extends ExecutionError {
  override name = 'GraphError';
}

/** A recording request the chip cannot serve (MADC channels and lines, sampling periods, CADC sweeps). */
export class RecordingPlanError extends ExecutionError {
  override name = 'RecordingPlanError';
}

/** A run request is invalid: negative or too long a duration, inputs of the wrong shape, an empty batch. */
export class RunRequestError extends ExecutionError {
  override name = 'RunRequestError';
}

/** A CalibrationResult given to the executor was made for other targets than the graph's neurons need. */
export class CalibrationMismatchError extends ExecutionError {
  override name = 'CalibrationMismatchError';
}

/** The executor was used after `close()`. */
export class ExecutorClosedError extends ExecutionError {
  override name = 'ExecutorClosedError';
  constructor(what: string) {
    super(`${what}: the executor is closed`);
  }
}

// Typed errors of the training layer: each names the module, the parameter or value, and the rule broken.

export interface SpikingErrorDetails {
  readonly module?: string;
  readonly parameter?: string;
  readonly value?: unknown;
  readonly rule?: string;
}

export class SpikingError extends Error {
  override name = 'SpikingError';
  readonly module: string | undefined;
  readonly parameter: string | undefined;
  readonly value: unknown;
  readonly rule: string | undefined;
  constructor(message: string, details: SpikingErrorDetails = {}) {
    super(message);
    this.module = details.module;
    this.parameter = details.parameter;
    this.value = details.value;
    this.rule = details.rule;
  }
}

/** A module used wrongly: wrong shapes, a handle of another experiment, a module called with the wrong kind. */
export class ModuleMisuseError extends SpikingError {
  override name = 'ModuleMisuseError';
}

/** A parameter or option outside its rule (a time constant ≤ 0, a dropout probability of 1.5, …). */
export class SpikingParameterError extends SpikingError {
  override name = 'SpikingParameterError';
}

/** A run that cannot be done: steps beyond the 32-bit timer, nothing to run, a closed experiment. */
export class ExperimentRunError extends SpikingError {
  override name = 'ExperimentRunError';
}

/** A model the chip cannot realise (a NIR node without a chip counterpart, parameters out of the chip's reach). */
export class HardwareMappingError extends SpikingError {
  override name = 'HardwareMappingError';
}

/** How a value is printed in messages: non-finite numbers by name, strings quoted, long things cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return String(value);
}
